using System.Text;
using System.Text.Json;
using Weaver.Stores.Worker;

namespace Weaver.Stores.Tests.MultiProcess;

/// <summary>One task of a finished run: its row and its history, as the store holds them.</summary>
/// <param name="Task">The row.</param>
/// <param name="History">The events, oldest first.</param>
internal sealed record TaskRun(StoredTask Task, IReadOnlyList<TaskEvent> History)
{
    public int Count(TaskEventKind kind) => History.Count(e => e.Kind == kind);

    /// <summary>The one accepted commit; null when there is none or more than one.</summary>
    public TaskEvent? Accepted => Count(TaskEventKind.Succeeded) == 1 ? History.Single(e => e.Kind == TaskEventKind.Succeeded) : null;

    public string Describe() =>
        $"{Task.Id} ({Task.State}, {Task.Attempts} attempt(s), epoch {Task.Epoch}): "
        + string.Join("; ", History.Select(e => $"{e.Kind} #{e.Attempt} {e.Owner ?? "-"} e{e.Epoch} at {e.At:HH:mm:ss.ffffff}"));
}

/// <summary>
/// Everything a run left: the store's tasks and histories, and every worker's reports. <see cref="Check"/> holds the
/// two against each other and against the fencing rules; each rule that fails adds a problem, and
/// <see cref="ThrowIfProblems"/> fails the test with all of them at once.
/// </summary>
internal sealed class RunRecord
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly List<(string Rule, string Text)> _problems = [];

    private RunRecord(IReadOnlyList<TaskRun> runs, WorkerFleet fleet)
    {
        Runs = runs;
        Fleet = fleet;
        Reports = fleet.Lines();
    }

    public IReadOnlyList<TaskRun> Runs { get; }

    public WorkerFleet Fleet { get; }

    public IReadOnlyList<(WorkerProcess Worker, WorkerLine Line)> Reports { get; }

    public IReadOnlyList<(string Rule, string Text)> Problems => _problems;

    /// <summary>The input of the test's task number <paramref name="number"/>.</summary>
    public static string Input(int number) => JsonSerializer.Serialize(new WorkItem(number), Json);

    /// <summary>The id of the test's task number <paramref name="number"/>.</summary>
    public static string TaskId(int number) => $"task-{number:D5}";

    /// <summary>Reads every task and its history from the store (a few readers at once).</summary>
    public static async Task<RunRecord> ReadAsync(IWeaverStore store, WorkerFleet fleet)
    {
        var tasks = await store.ListTasksAsync();
        var runs = new TaskRun[tasks.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, tasks.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (i, cancellation) => runs[i] = new TaskRun(tasks[i], await store.GetHistoryAsync(tasks[i].Id, cancellation)));
        return new RunRecord(runs, fleet);
    }

    public IEnumerable<(WorkerProcess Worker, WorkerLine Line)> Reported(string kind) => Reports.Where(r => r.Line.Event == kind);

    public IEnumerable<TaskEvent> Events(TaskEventKind kind) => Runs.SelectMany(r => r.History).Where(e => e.Kind == kind);

    /// <summary>Records a broken rule; failures are grouped by <paramref name="rule"/>.</summary>
    public void Problem(string rule, string problem) => _problems.Add((rule, problem));

    /// <summary>
    /// The rules every run keeps, chaos or not: all <paramref name="expected"/> tasks are there and succeeded; each has
    /// exactly one accepted terminal commit, under its latest lease, whose result names that attempt; every rejected
    /// write was under an older epoch than the accepted one; and the workers' reports agree with the histories (each
    /// accepted commit reported once at most, and reported unless its worker was killed or the write threw).
    /// </summary>
    public RunRecord Check(int expected)
    {
        var ids = Enumerable.Range(1, expected).Select(TaskId).ToHashSet(StringComparer.Ordinal);
        if (Runs.Count != expected || !Runs.All(r => ids.Contains(r.Task.Id)))
        {
            Problem("tasks lost or added", $"The store holds {Runs.Count} tasks; expected exactly the {expected} submitted. Missing: "
                + string.Join(", ", ids.Except(Runs.Select(r => r.Task.Id)).Take(20)));
        }

        var committed = Reported(WorkerProtocol.Committed).ToLookup(r => r.Line.TaskId!, StringComparer.Ordinal);
        var unwritten = Reported(WorkerProtocol.Unwritten).Select(r => (r.Line.TaskId, r.Line.Owner, r.Line.Epoch)).ToHashSet();
        var finished = Reported(WorkerProtocol.Finished).Select(r => (r.Line.TaskId, r.Line.Owner, r.Line.Epoch)).ToHashSet();
        foreach (var run in Runs)
        {
            CheckTask(run, committed[run.Task.Id].ToList(), unwritten, finished);
        }

        foreach (var (worker, line) in Reported(WorkerProtocol.Rejected))
        {
            var run = Runs.FirstOrDefault(r => r.Task.Id == line.TaskId);
            if (run is null || !run.History.Any(e => e.Kind == TaskEventKind.WriteRejected && e.Owner == line.Owner && e.Epoch == line.Epoch))
            {
                Problem("rejection reported but not recorded", $"{worker.Name} reported its {line.Detail} of {line.TaskId} (owner {line.Owner}, epoch {line.Epoch}) rejected, "
                    + $"but the history holds no rejected write of that attempt: {run?.Describe() ?? "no such task"}");
            }
        }

        return this;
    }

    public void ThrowIfProblems(string run)
    {
        if (_problems.Count == 0)
        {
            return;
        }

        var rules = _problems.GroupBy(p => p.Rule).ToList();
        var message = new StringBuilder($"{run}: {_problems.Count} problem(s): ");
        message.AppendJoin("; ", rules.Select(r => $"{r.Key} ({r.Count()})")).Append('.');
        foreach (var rule in rules)
        {
            message.Append($"\n{rule.Key}:");
            foreach (var (_, text) in rule.Take(8))
            {
                message.Append("\n- ").Append(text);
            }

            if (rule.Count() > 8)
            {
                message.Append($"\n... and {rule.Count() - 8} more.");
            }
        }

        Assert.Fail(message.Append(Fleet.Describe()).ToString());
    }

    /// <summary>Per worker: what happened to it and what it reported, one line each.</summary>
    public string Summary()
    {
        var text = new StringBuilder();
        foreach (var worker in Fleet.All)
        {
            var lines = worker.Lines;
            int Count(string kind) => lines.Count(l => l.Event == kind);
            text.Append($"{worker.Name}: {(worker.WasKilled ? "killed" : worker.HasExited ? $"exit {worker.ExitCode}" : "running")}")
                .Append(worker.WasPaused ? ", paused" : "")
                .Append($", finished {Count(WorkerProtocol.Finished)}, committed {Count(WorkerProtocol.Committed)}")
                .Append($", rejected {Count(WorkerProtocol.Rejected)}, unwritten {Count(WorkerProtocol.Unwritten)}\n");
        }

        return text.ToString();
    }

    private void CheckTask(
        TaskRun run,
        List<(WorkerProcess Worker, WorkerLine Line)> committed,
        HashSet<(string?, string, long)> unwritten,
        HashSet<(string?, string, long)> finished)
    {
        var task = run.Task;
        if (task.State != TaskLifecycle.State.Succeeded)
        {
            Problem("task did not succeed", $"{task.Id} ended {task.State} (error: {task.Error ?? "none"}); every task should succeed. {run.Describe()}");
        }

        var terminal = run.Count(TaskEventKind.Succeeded) + run.Count(TaskEventKind.Dead) + run.Count(TaskEventKind.Cancelled);
        if (terminal != 1 || run.Accepted is not { } accepted)
        {
            Problem("not exactly one terminal commit", $"{task.Id} has {terminal} terminal events ({run.Count(TaskEventKind.Succeeded)} Succeeded); expected exactly one Succeeded. {run.Describe()}");
            return;
        }

        var started = run.History.Where(e => e.Kind == TaskEventKind.AttemptStarted).ToList();
        if (started.Count == 0 || started.Zip(started.Skip(1)).Any(p => p.Second.Epoch <= p.First.Epoch))
        {
            Problem("epochs not increasing", $"{task.Id}: its attempts' epochs do not go up with each claim. {run.Describe()}");
        }

        if (accepted.Epoch != task.Epoch || started.Count == 0 || accepted.Epoch != started[^1].Epoch || accepted.Owner != started[^1].Owner
            || accepted.Attempt != task.Attempts)
        {
            Problem("accepted commit not under the latest lease", $"{task.Id}: the accepted commit (owner {accepted.Owner}, epoch {accepted.Epoch}, attempt {accepted.Attempt}) is not "
                + $"the latest claim's (task epoch {task.Epoch}, {task.Attempts} attempt(s)). {run.Describe()}");
        }

        var acceptedAt = run.History.ToList().IndexOf(accepted);
        foreach (var (rejected, at) in run.History.Select((e, i) => (e, i)).Where(p => p.e.Kind == TaskEventKind.WriteRejected && p.e.Epoch >= accepted.Epoch))
        {
            Problem(
                at > acceptedAt ? "write rejected after the accepted commit, at its epoch" : "write rejected before an accepted commit, at its epoch",
                $"{task.Id}: a write under epoch {rejected.Epoch} was rejected ('{rejected.Detail}'), not lower than the accepted commit's "
                + $"epoch {accepted.Epoch}: only stale attempts' writes should be rejected. {run.Describe()}");
        }

        CheckResult(run, accepted);
        var key = (task.Id, accepted.Owner!, accepted.Epoch);
        if (!finished.Contains(key))
        {
            Problem("accepted result never finished by a handler", $"{task.Id}: no worker reported finishing the attempt whose commit was accepted ({accepted.Owner}, epoch {accepted.Epoch}).");
        }

        if (committed.Count > 1)
        {
            Problem("accepted commit reported twice", $"{task.Id}: {committed.Count} accepted commits were reported, by "
                + string.Join(", ", committed.Select(c => $"{c.Line.Owner} epoch {c.Line.Epoch}")) + $". {run.Describe()}");
        }

        if (committed.Any(c => c.Line.Owner != accepted.Owner || c.Line.Epoch != accepted.Epoch))
        {
            Problem("reported commit not the accepted one", $"{task.Id}: a worker reported an accepted commit that is not the one in the history: "
                + string.Join(", ", committed.Select(c => $"{c.Line.Owner} epoch {c.Line.Epoch}")) + $". {run.Describe()}");
        }

        if (committed.Count == 0 && !unwritten.Contains(key) && Fleet.OwnerOf(accepted.Owner) is not { WasKilled: true })
        {
            Problem("accepted commit never reported", $"{task.Id}: its accepted commit ({accepted.Owner}, epoch {accepted.Epoch}) was never reported, though its worker "
                + "was not killed and reported no failed write.");
        }
    }

    private void CheckResult(TaskRun run, TaskEvent accepted)
    {
        WorkDone? result;
        try
        {
            result = run.Task.Result is null ? null : JsonSerializer.Deserialize<WorkDone>(run.Task.Result, Json);
        }
        catch (JsonException error)
        {
            Problem("wrong result", $"{run.Task.Id}: its result '{run.Task.Result}' is not a WorkDone: {error.Message}");
            return;
        }

        var number = int.Parse(run.Task.Id["task-".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var expected = new WorkDone(run.Task.Id, number, accepted.Owner!, accepted.Epoch, accepted.Attempt);
        if (result != expected)
        {
            Problem("wrong result", $"{run.Task.Id}: its result is {result?.ToString() ?? "null"}; the accepted attempt would have returned {expected}.");
        }
    }
}
