using System.CommandLine;
using Weaver.Cli.Commands;
using Weaver.Cli.Output;

namespace Weaver.Cli.Jobs;

/// <summary><c>weaver explain JOB</c>: why the job is where it is, or ended as it did.</summary>
internal static class ExplainCommand
{
    public static Command Create(CliOptions options, CliEnvironment environment)
    {
        var job = JobReader.JobArgument();
        var command = new Command(
            "explain",
            "Tell why a job is where it is, or ended as it did: a summary, each task's attempts (action, observation, outcome), every "
            + "decision (evidence, policy, change), the saga's compensations and the audit notes. --json prints the JobExplanation record.")
        {
            job,
        };
        StoreCommand.SetAction(command, options, environment, async (parseResult, context, cancellationToken) =>
        {
            using var reader = new JobReader(context);
            var explanation = await reader.ExplainAsync(JobReader.JobIdOf(parseResult, job), cancellationToken).ConfigureAwait(false);
            if (context.Output.Json)
            {
                context.Output.WriteJson(explanation, CliJsonContext.Output.JobExplanation);
            }
            else
            {
                context.Output.WriteLine(explanation.Text.TrimEnd());
            }
        });
        return command;
    }
}
