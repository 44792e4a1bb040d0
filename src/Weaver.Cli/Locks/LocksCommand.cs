using System.CommandLine;
using Spectre.Console;
using Weaver.Cli.Commands;
using Weaver.Cli.Output;

namespace Weaver.Cli.Locks;

/// <summary><c>weaver locks</c>: the held resource locks, their holders, epochs and expiries.</summary>
internal static class LocksCommand
{
    public static Command Create(CliOptions options, CliEnvironment environment)
    {
        var command = new Command(
            "locks",
            "List the resource locks held now: each resource key with the task that holds it, that task's worker, the lock's epoch "
            + "(fencing token) and when it expires unless renewed. Stale locks are not listed: the store frees them at the next acquisition.");
        StoreCommand.SetAction(command, options, environment, RunAsync);
        return command;
    }

    private static async Task RunAsync(ParseResult parseResult, StoreCommandContext context, CancellationToken cancellationToken)
    {
        var leases = await context.Store.ListLocksAsync(cancellationToken).ConfigureAwait(false);
        var now = await context.Store.NowAsync(cancellationToken).ConfigureAwait(false);
        var report = new LocksReport(now, LockRow.Of(leases));
        if (context.Output.Json)
        {
            context.Output.WriteJson(report, CliJsonContext.Output.LocksReport);
            return;
        }

        if (report.Locks.Count == 0)
        {
            context.Output.WriteLine($"No resource is locked in {context.Location.Description}.");
            return;
        }

        var table = Cells.Table("Resource", "Held by task", "Owner", "Epoch", "Expires", "Left");
        table.Columns[3].RightAligned();
        foreach (var row in report.Locks)
        {
            table.AddRow(
                Cells.Plain(row.Resource),
                Cells.Plain(row.TaskId),
                Cells.Plain(row.Owner),
                Cells.Number(row.Epoch),
                Cells.Plain(Cells.Timestamp(row.ExpiresAt)),
                Cells.Plain(row.ExpiresAt >= now ? Cells.Duration(row.ExpiresAt - now) : "expired"));
        }

        context.Output.Write(table);
        context.Output.WriteLine($"{report.Locks.Count} resource(s) locked, by the store's clock at {Cells.Timestamp(now)}.");
    }
}
