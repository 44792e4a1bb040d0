using System.CommandLine;
using Weaver.Cli.Commands;
using Weaver.Cli.Output;

namespace Weaver.Cli.Jobs;

/// <summary><c>weaver graph JOB</c>: the job's task graph as a Mermaid flowchart.</summary>
internal static class GraphCommand
{
    public static Command Create(CliOptions options, CliEnvironment environment)
    {
        var job = JobReader.JobArgument();
        var command = new Command(
            "graph",
            "Print a job's tasks as a Mermaid flowchart: each task with its state and attempts, an arrow from each task it depends on, "
            + "a dotted arrow from the task whose decider added it. Paste it into a Markdown ```mermaid block or render it with mermaid-cli. "
            + "A task machine's own state diagram is not available here: machines are types of your application, which the store does not "
            + "know; call the machine type's generated ToMermaid() in your code for that.")
        {
            job,
        };
        StoreCommand.SetAction(command, options, environment, async (parseResult, context, cancellationToken) =>
        {
            var id = JobReader.JobIdOf(parseResult, job);
            using var reader = new JobReader(context);
            var mermaid = (await reader.GetStatusAsync(id, cancellationToken).ConfigureAwait(false)).ToMermaid();
            if (context.Output.Json)
            {
                context.Output.WriteJson(new GraphReport(id.Value, mermaid), CliJsonContext.Output.GraphReport);
            }
            else
            {
                context.Output.WriteLine(mermaid.TrimEnd());
            }
        });
        return command;
    }
}

/// <summary>The answer of <c>weaver graph JOB --json</c>.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Mermaid">Its task graph as a Mermaid flowchart.</param>
internal sealed record GraphReport(string JobId, string Mermaid);
