using System.CommandLine;
using Spectre.Console;
using Weaver.Cli.Commands;
using Weaver.Cli.Output;

namespace Weaver.Cli.Jobs;

/// <summary><c>weaver status JOB</c>: the job's state, reason and saga, and each task's state, attempts, error and dependencies.</summary>
internal static class StatusCommand
{
    public static Command Create(CliOptions options, CliEnvironment environment)
    {
        var job = JobReader.JobArgument();
        var command = new Command(
            "status",
            "Show one job: its state, why it failed or was cancelled, its saga's state, and each task with its state, attempts, last error "
            + "and the tasks it depends on; then the saga's compensations and the audit notes, if any. --json prints the JobStatus record.")
        {
            job,
        };
        StoreCommand.SetAction(command, options, environment, (parseResult, context, cancellationToken) =>
            RunAsync(JobReader.JobIdOf(parseResult, job), context, cancellationToken));
        return command;
    }

    private static async Task RunAsync(JobId id, StoreCommandContext context, CancellationToken cancellationToken)
    {
        using var reader = new JobReader(context);
        var status = await reader.GetStatusAsync(id, cancellationToken).ConfigureAwait(false);
        if (context.Output.Json)
        {
            context.Output.WriteJson(status, CliJsonContext.Output.JobStatus);
            return;
        }

        var summary = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        summary.AddRow(Cells.Plain("Job"), Cells.Plain(status.JobId.Value));
        summary.AddRow(Cells.Plain("State"), Cells.State(status.State.ToString()));
        if (status.Reason is { } reason)
        {
            summary.AddRow(Cells.Plain("Reason"), Cells.Plain(reason));
        }

        if (status.Saga is { } saga)
        {
            summary.AddRow(Cells.Plain("Saga"), Cells.State(saga.ToString()));
        }

        context.Output.Write(summary);
        context.Output.Write(TasksTable(status));
        if (status.Compensations.Count > 0)
        {
            context.Output.Write(CompensationsTable(status.Compensations));
        }

        if (status.Audit.Count > 0)
        {
            var notes = Cells.Table("Noted at", "Key", "Value");
            foreach (var note in status.Audit)
            {
                notes.AddRow(Cells.Plain(Cells.Timestamp(note.At)), Cells.Plain(note.Key), Cells.Plain(note.Value));
            }

            context.Output.Write(notes.Title("Audit notes"));
        }
    }

    private static Table TasksTable(JobStatus status)
    {
        var table = Cells.Table("Task", "State", "Attempts", "Depends on", "Error");
        table.Columns[2].RightAligned();
        foreach (var task in status.Tasks)
        {
            var dependsOn = task.Parent is { } parent
                ? string.Join(", ", [.. task.DependsOn, $"(child of {parent})"])
                : string.Join(", ", task.DependsOn);
            table.AddRow(
                Cells.Plain(task.TaskId),
                Cells.State(task.State.ToString()),
                Cells.Number(task.Attempts),
                Cells.Plain(dependsOn),
                Cells.Plain(task.Error));
        }

        return table;
    }

    private static Table CompensationsTable(IReadOnlyList<CompensationRecord> compensations)
    {
        var table = Cells.Table("Step undone", "Compensation", "State", "Attempts", "Error");
        table.Columns[3].RightAligned();
        foreach (var compensation in compensations)
        {
            table.AddRow(
                Cells.Plain(compensation.TaskId),
                Cells.Plain(compensation.Kind),
                Cells.State(compensation.State.ToString()),
                Cells.Number(compensation.Attempts),
                Cells.Plain(compensation.Error));
        }

        return table.Title("Compensations (in the order they ran)");
    }
}
