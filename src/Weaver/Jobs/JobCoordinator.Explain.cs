namespace Weaver;

/// <summary>The job's history, told: what each attempt did and saw, and every decision taken about the job.</summary>
public sealed partial class JobCoordinator
{
    /// <inheritdoc/>
    public async Task<JobExplanation> ExplainAsync(JobId id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var run = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        JobLifecycle.State state;
        SagaLifecycle.State? saga;
        string? reason;
        bool endingSaga;
        JobEvent[] events;
        CompensationRecord[] compensations;
        AuditEntry[] audit;
        (string Id, string Kind, JobTaskState State, string? Error, string? EngineId)[] tasks;
        lock (run.Gate)
        {
            state = run.Lifecycle.Current;
            saga = run.Saga?.Current;
            reason = run.Reason;
            endingSaga = run.EndAs is not null;
            events = [.. run.Events];
            compensations = [.. run.Compensations];
            audit = [.. run.Audit];
            tasks = run.Graph.TaskIds
                .Select(task => run.Tasks[task])
                .Select(task => (task.Spec.Id, task.Spec.Kind, task.State, task.Error, task.Submitted ? task.EngineId : null))
                .ToArray();
        }

        // The runner's tasks are read outside the job's lock.
        var compensationIds = compensations.ToDictionary(c => c.TaskId, c => c.EngineTaskId, StringComparer.Ordinal);
        var snapshots = new Dictionary<string, TaskSnapshot>(StringComparer.Ordinal);
        foreach (var runnerId in tasks.Select(task => task.EngineId).Concat(compensationIds.Values).OfType<string>())
        {
            if (await _tasks.GetAsync(runnerId, cancellationToken).ConfigureAwait(false) is { } snapshot)
            {
                snapshots[runnerId] = snapshot;
            }
        }

        // Decisions are told in the order they were taken: by time, then the engine's before the coordinator's reaction
        // to them, then as each recorded them.
        var jobDecisions = events
            .Select((e, index) => (Event: e, Order: (Rank: 1, Index: index)))
            .Where(entry => entry.Event.Decision is not null)
            .Select(entry => (Record: new DecisionRecord(entry.Event.At, entry.Event.TaskId, 0, entry.Event.Decision!), entry.Order))
            .ToArray();
        var engineDecisions = new List<(DecisionRecord Record, (int Rank, int Index) Order)>();
        var explained = tasks.Select(task =>
        {
            var engineTask = task.EngineId is { } engineId ? snapshots.GetValueOrDefault(engineId) : null;
            var compensation = compensationIds.TryGetValue(task.Id, out var compensationId) ? snapshots.GetValueOrDefault(compensationId) : null;
            var live = task.State == JobTaskState.Queued && engineTask is not null ? ToJobTaskState(engineTask.State) : task.State;
            var fromEngine = (engineTask is null ? [] : AttemptHistory.Decisions(task.Id, engineTask))
                .Concat(compensation is null ? [] : AttemptHistory.Decisions(task.Id, compensation))
                .Select(record => (Record: record, Order: (Rank: 0, Index: engineDecisions.Count)))
                .ToArray();
            engineDecisions.AddRange(fromEngine);
            var decisions = InOrder(jobDecisions.Where(d => d.Record.TaskId == task.Id).Concat(fromEngine));
            return new TaskExplanation(
                task.Id,
                task.Kind,
                live,
                task.Error ?? engineTask?.Error,
                engineTask is null ? [] : AttemptHistory.Attempts(task.Id, engineTask),
                compensation is null ? [] : AttemptHistory.Attempts(task.Id, compensation),
                decisions);
        }).ToArray();

        var allDecisions = InOrder(jobDecisions.Concat(engineDecisions));
        var summary = Summarize(id, state, saga, reason, endingSaga, explained);
        return new JobExplanation(id, state, saga, summary, explained, allDecisions, compensations, audit);
    }

    private static DecisionRecord[] InOrder(IEnumerable<(DecisionRecord Record, (int Rank, int Index) Order)> decisions) =>
        decisions.OrderBy(d => d.Record.At).ThenBy(d => d.Order.Rank).ThenBy(d => d.Order.Index).Select(d => d.Record).ToArray();

    private static string Summarize(JobId id, JobLifecycle.State state, SagaLifecycle.State? saga, string? reason, bool endingSaga, TaskExplanation[] tasks)
    {
        var sagaPart = saga is { } s ? $" (saga {s.ToString().ToLowerInvariant()})" : "";
        return state switch
        {
            JobLifecycle.State.Succeeded => $"Job '{id}' succeeded{sagaPart}: all {tasks.Length} task(s) succeeded.",
            JobLifecycle.State.Failed => $"Job '{id}' failed{sagaPart}: {reason}",
            JobLifecycle.State.Cancelled => $"Job '{id}' was cancelled{sagaPart}: {reason}",
            JobLifecycle.State.Running when endingSaga => $"Job '{id}' is ending{sagaPart}: {reason}",
            JobLifecycle.State.Running => $"Job '{id}' is running: {tasks.Count(t => t.State == JobTaskState.Succeeded)} of {tasks.Length} task(s) succeeded so far.",
            _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown job state."),
        };
    }
}
