using System.CommandLine;
using Spectre.Console;
using Weaver.Cli.Commands;
using Weaver.Cli.Output;

namespace Weaver.Cli.Leases;

/// <summary><c>weaver leases</c>: the running tasks, who holds each lease, its epoch and expiry, and which are stale.</summary>
internal static class LeasesCommand
{
    public static Command Create(CliOptions options, CliEnvironment environment)
    {
        var command = new Command(
            "leases",
            "List the live leases: every running task with the worker that holds it, the lease's epoch (fencing token) and expiry. "
            + "A lease past its expiry by the store's clock is marked stale: its worker stopped heartbeating and the next sweep takes the task back.");
        StoreCommand.SetAction(command, options, environment, RunAsync);
        return command;
    }

    private static async Task RunAsync(ParseResult parseResult, StoreCommandContext context, CancellationToken cancellationToken)
    {
        var tasks = await context.Store.ListTasksAsync(TaskLifecycle.State.Running, cancellationToken).ConfigureAwait(false);

        // Read after the tasks: a lease that was live when read and expired since is shown stale, never the reverse.
        var now = await context.Store.NowAsync(cancellationToken).ConfigureAwait(false);
        var report = new LeasesReport(now, [.. tasks.Select(task => LeaseRow.Of(task, now))]);
        if (context.Output.Json)
        {
            context.Output.WriteJson(report, CliJsonContext.Output.LeasesReport);
            return;
        }

        Render(report, context);
    }

    private static void Render(LeasesReport report, StoreCommandContext context)
    {
        if (report.Leases.Count == 0)
        {
            context.Output.WriteLine($"No running task holds a lease in {context.Location.Description}.");
            return;
        }

        var table = Cells.Table("Task", "Kind", "Owner", "Epoch", "Attempt", "Expires", "Lease");
        table.Columns[3].RightAligned();
        table.Columns[4].RightAligned();
        foreach (var lease in report.Leases)
        {
            table.AddRow(
                Cells.Plain(lease.TaskId),
                Cells.Plain(lease.Kind),
                Cells.Plain(lease.Owner),
                Cells.Number(lease.Epoch),
                Cells.Number(lease.Attempt),
                Cells.Plain(lease.ExpiresAt is { } at ? Cells.Timestamp(at) : null),
                Standing(lease, report.Now));
        }

        context.Output.Write(table);
        var stale = report.Leases.Count(lease => lease.Stale);
        context.Output.WriteLine(
            $"{report.Leases.Count} running, {stale} stale, by the store's clock at {Cells.Timestamp(report.Now)}."
            + (stale > 0 ? " A stale task is taken back by the next sweep of any worker group on this store." : ""));
    }

    private static Text Standing(LeaseRow lease, DateTimeOffset now) => lease.ExpiresAt switch
    {
        null => Cells.Styled("stale (no expiry)", new Style(Color.Red)),
        { } at when lease.Stale => Cells.Styled($"stale for {Cells.Duration(now - at)}", new Style(Color.Red)),
        { } at => Cells.Styled($"live, {Cells.Duration(at - now)} left", new Style(Color.Green)),
    };
}
