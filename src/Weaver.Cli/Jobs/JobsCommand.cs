using System.CommandLine;
using Spectre.Console;
using Weaver.Cli.Commands;
using Weaver.Cli.Output;

namespace Weaver.Cli.Jobs;

/// <summary><c>weaver jobs</c>: every job of the store with its state and how many of its tasks are in each state.</summary>
internal static class JobsCommand
{
    public static Command Create(CliOptions options, CliEnvironment environment)
    {
        var command = new Command(
            "jobs",
            "List every job of the store: its id, state, how many of its tasks are in each state, and when it was created and last updated. "
            + "A job whose stored document this weaver cannot read is listed with the reason.");
        StoreCommand.SetAction(command, options, environment, RunAsync);
        return command;
    }

    private static async Task RunAsync(ParseResult parseResult, StoreCommandContext context, CancellationToken cancellationToken)
    {
        var jobs = await context.Store.ListJobsAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new JobReader(context);
        var summaries = new List<JobSummary>(jobs.Count);
        foreach (var job in jobs)
        {
            summaries.Add(await SummarizeAsync(job, reader, cancellationToken).ConfigureAwait(false));
        }

        var report = new JobsReport(summaries);
        if (context.Output.Json)
        {
            context.Output.WriteJson(report, CliJsonContext.Output.JobsReport);
            return;
        }

        Render(report, context);
    }

    private static async Task<JobSummary> SummarizeAsync(StoredJob job, JobReader reader, CancellationToken cancellationToken)
    {
        try
        {
            var status = await reader.GetStatusAsync(new JobId(job.Id), cancellationToken).ConfigureAwait(false);
            return new JobSummary(job.Id, job.State, status.Saga, status.Counts, job.CreatedAt, job.UpdatedAt, job.Revision, null);
        }
        catch (StoreRowException error)
        {
            return new JobSummary(job.Id, job.State, null, null, job.CreatedAt, job.UpdatedAt, job.Revision, error.Message);
        }
        catch (CliException error) when (error.ExitCode == ExitCodes.NotFound)
        {
            // Deleted between the list and the read: listed as it was.
            return new JobSummary(job.Id, job.State, null, null, job.CreatedAt, job.UpdatedAt, job.Revision, "It was deleted while weaver read the store.");
        }
    }

    private static void Render(JobsReport report, StoreCommandContext context)
    {
        if (report.Jobs.Count == 0)
        {
            context.Output.WriteLine($"No jobs in {context.Location.Description}.");
            return;
        }

        var table = Cells.Table("Job", "State", "Tasks", "Created", "Updated");
        foreach (var job in report.Jobs)
        {
            var state = job.Saga is { } saga ? $"{job.State} (saga {saga})" : job.State;
            table.AddRow(
                Cells.Plain(job.Id),
                Cells.Styled(state, Cells.StateStyle(job.State)),
                job.Tasks is { } tasks ? Cells.Plain(CountsText(tasks)) : Cells.Styled($"unreadable: {job.Error}", new Style(Color.Red)),
                Cells.Plain(Cells.Timestamp(job.CreatedAt)),
                Cells.Plain(Cells.Timestamp(job.UpdatedAt)));
        }

        context.Output.Write(table);
        var running = report.Jobs.Count(job => job.State == nameof(JobLifecycle.State.Running));
        context.Output.WriteLine($"{report.Jobs.Count} job(s), {running} running. 'weaver status JOB' shows one job's tasks; 'weaver explain JOB' tells why it ended as it did.");
    }

    /// <summary>The non-zero counts, such as <c>2 succeeded, 1 running, 3 pending</c>, in the order of <see cref="JobTaskState"/>.</summary>
    private static string CountsText(IReadOnlyDictionary<JobTaskState, int> counts)
    {
        var parts = Enum.GetValues<JobTaskState>()
            .Where(state => counts.GetValueOrDefault(state) > 0)
            .Select(state => $"{counts[state]} {Cells.Words(state.ToString())}")
            .ToList();
        return parts.Count == 0 ? "no tasks" : string.Join(", ", parts);
    }
}
