using System.Globalization;
using AgentFleet.Agents;
using Spectre.Console;
using Weaver;

namespace AgentFleet.Reporting;

/// <summary>
/// The end-of-run report, read from the store: attempts per task, reclaims and rejected zombie writes (counted from the
/// tasks' histories), the job's explanation, its artifacts, and the Mermaid graph of the job and of each machine.
/// </summary>
public static class FleetReport
{
    /// <summary>Writes the report.</summary>
    /// <param name="console">Where to write it.</param>
    /// <param name="store">The store.</param>
    /// <param name="client">The job's client.</param>
    /// <param name="job">The job.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The counts the report shows.</returns>
    public static async Task<ReportCounts> WriteAsync(IAnsiConsole console, IWeaverStore store, IWeaverClient client, JobId job, CancellationToken cancellationToken)
    {
        var status = await client.GetStatusAsync(job, cancellationToken);
        var rows = new List<Row>();
        foreach (var task in status.Tasks)
        {
            rows.Add(await Row.ReadAsync(store, task.TaskId, $"{job}/{task.TaskId}", task.State.ToString(), cancellationToken));
        }

        foreach (var compensation in status.Compensations)
        {
            rows.Add(await Row.ReadAsync(store, $"{compensation.TaskId} (revert)", compensation.EngineTaskId, state: null, cancellationToken));
        }

        Heading(console, "Attempts per task");
        var attempts = new Table().Border(TableBorder.Rounded).AddColumns("task", "kind", "state", "attempts", "epochs", "agents", "reclaims", "rejected writes");
        foreach (var row in rows)
        {
            attempts.AddRow(
                Cell(row.Label),
                Cell(row.Task?.Kind ?? "(not created)"),
                Cell(row.State ?? "(not created)"),
                Cell(row.Started.Length.ToString(CultureInfo.InvariantCulture)),
                Cell(string.Join(", ", row.Started.Select(e => e.Epoch))),
                Cell(string.Join(", ", row.Started.Select(e => Workbench.AgentOf(e.Owner ?? "?")))),
                Cell(row.Reclaims.Length.ToString(CultureInfo.InvariantCulture)),
                Cell(row.RejectedWrites.Length.ToString(CultureInfo.InvariantCulture)));
        }

        console.Write(attempts);
        var reclaims = rows.SelectMany(r => r.Reclaims.Select(e => (r.Label, Event: e))).ToArray();
        var rejected = rows.SelectMany(r => r.RejectedWrites.Select(e => (r.Label, Event: e))).ToArray();
        Console.Out.WriteLine($"Reclaims: {reclaims.Length}");
        foreach (var (label, reclaim) in reclaims)
        {
            Console.Out.WriteLine($"  {label}, attempt {reclaim.Attempt} (epoch {reclaim.Epoch}): {reclaim.Detail}");
        }

        Console.Out.WriteLine($"Rejected zombie writes: {rejected.Length}");
        foreach (var (label, write) in rejected)
        {
            Console.Out.WriteLine($"  {label}, attempt {write.Attempt} by {write.Owner} (epoch {write.Epoch}): {write.Detail}");
        }

        Heading(console, "Explanation");
        // Plain text, never wrapped: it is read, copied and checked as it is.
        Console.Out.WriteLine((await client.ExplainAsync(job, cancellationToken)).Text.TrimEnd());

        Heading(console, "Artifacts");
        var artifacts = new List<ArtifactRef>();
        foreach (var task in status.Tasks)
        {
            artifacts.AddRange(await store.ListArtifactsAsync(job.Value, task.TaskId, cancellationToken));
        }

        foreach (var compensation in status.Compensations)
        {
            // A compensation belongs to no job task: its artifacts are keyed by its own store id.
            artifacts.AddRange(await store.ListArtifactsAsync(compensation.EngineTaskId, compensation.EngineTaskId, cancellationToken));
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("artifact", "task", "attempt", "kind", "bytes");
        foreach (var artifact in artifacts)
        {
            table.AddRow(
                Cell(artifact.Name),
                Cell(Roster.ShortId(artifact.TaskId)),
                Cell(artifact.Attempt.ToString(CultureInfo.InvariantCulture)),
                Cell(artifact.Kind.ToString()),
                Cell(artifact.Length.ToString(CultureInfo.InvariantCulture)));
        }

        console.Write(table);
        Console.Out.WriteLine($"Artifacts: {artifacts.Count}");

        Heading(console, "Mermaid");
        foreach (var (name, graph) in new[]
        {
            ($"job {job}", status.ToMermaid()),
            ("TaskLifecycle", TaskLifecycle.ToMermaid()),
            ("JobLifecycle", JobLifecycle.ToMermaid()),
            ("SagaLifecycle", SagaLifecycle.ToMermaid()),
            ("AgentSession", AgentSession.ToMermaid()),
        })
        {
            Console.Out.WriteLine($"%% {name}");
            Console.Out.WriteLine(graph.TrimEnd());
            Console.Out.WriteLine();
        }

        // A task whose commit was accepted must never start another attempt: at-least-once, but exactly one commit.
        var rerun = rows
            .Where(r => r.History.SkipWhile(e => e.Kind != TaskEventKind.Succeeded).Any(e => e.Kind == TaskEventKind.AttemptStarted))
            .Select(r => r.Label)
            .ToArray();
        return new ReportCounts(rows.Sum(r => r.Started.Length), reclaims.Length, rejected.Length, artifacts.Count, rerun);
    }

    private static void Heading(IAnsiConsole console, string title)
    {
        Console.Out.WriteLine();
        console.Write(new Rule(title).LeftJustified());
    }

    private static Text Cell(string text) => new(text);

    /// <summary>One task or compensation of the job: what the store holds for it, and its history's events by kind.</summary>
    private sealed record Row(string Label, string? State, StoredTask? Task, IReadOnlyList<TaskEvent> History)
    {
        public TaskEvent[] Started { get; } = Of(History, TaskEventKind.AttemptStarted);

        public TaskEvent[] Reclaims { get; } = Of(History, TaskEventKind.Reclaimed);

        public TaskEvent[] RejectedWrites { get; } = Of(History, TaskEventKind.WriteRejected);

        /// <summary>Reads the row; <paramref name="state"/> is the job's view, null for a compensation, whose stored task says it.</summary>
        public static async Task<Row> ReadAsync(IWeaverStore store, string label, string storeId, string? state, CancellationToken cancellationToken)
        {
            var task = await store.GetTaskAsync(storeId, cancellationToken);
            return new Row(label, state ?? task?.State.ToString(), task, await store.GetHistoryAsync(storeId, cancellationToken));
        }

        private static TaskEvent[] Of(IReadOnlyList<TaskEvent> history, TaskEventKind kind) => history.Where(e => e.Kind == kind).ToArray();
    }
}

/// <summary>What the report counted.</summary>
/// <param name="Attempts">Attempts started, over every task and compensation.</param>
/// <param name="Reclaims">Attempts taken back because their lease went stale.</param>
/// <param name="RejectedWrites">Writes of zombies (heartbeats, artifacts, commits) the store rejected.</param>
/// <param name="Artifacts">Artifacts recorded.</param>
/// <param name="RunAfterCommit">Tasks that started an attempt after their commit was accepted (none, unless something is broken).</param>
public sealed record ReportCounts(int Attempts, int Reclaims, int RejectedWrites, int Artifacts, IReadOnlyList<string> RunAfterCommit);
