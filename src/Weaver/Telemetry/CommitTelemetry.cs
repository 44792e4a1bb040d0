namespace Weaver;

/// <summary>
/// What one database transaction of a store will report to <see cref="StoreTelemetry"/>: gathered while it runs,
/// reported only once it committed, so a transaction rolled back or retried counts nothing.
/// </summary>
public sealed class CommitTelemetry
{
    private List<(string Kind, TaskEvent Event)>? _events;
    private int _lockConflicts;

    /// <summary>Counts a history event of a task of <paramref name="kind"/> once the transaction commits.</summary>
    /// <param name="kind">The task's kind.</param>
    /// <param name="taskEvent">The event the transaction writes.</param>
    public void CountOnCommit(string kind, TaskEvent taskEvent)
    {
        if (StoreTelemetry.IsEnabled)
        {
            (_events ??= []).Add((kind, taskEvent));
        }
    }

    /// <summary>Counts a lock request that found a resource held, once the transaction commits.</summary>
    public void CountLockConflictOnCommit() => _lockConflicts++;

    /// <summary>Call once the transaction committed: reports what it counted.</summary>
    public void ReportCommitted()
    {
        foreach (var (kind, taskEvent) in _events ?? [])
        {
            StoreTelemetry.Committed(kind, taskEvent);
        }

        for (var i = 0; i < _lockConflicts; i++)
        {
            StoreTelemetry.LockConflict();
        }
    }
}
