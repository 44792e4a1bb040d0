namespace Weaver;

/// <summary>
/// What an <see cref="IWeaverStore"/> reports to Weaver's meter (<see cref="WeaverTelemetry.MeterName"/>), so that a
/// fleet's metrics count the same on every store: the in-memory engine, SQLite, PostgreSQL, or a store of your own.
/// Call each method once the write it reports is durable (after the transaction committed), never for a write that was
/// rolled back or retried.
/// </summary>
public static class StoreTelemetry
{
    /// <summary>
    /// Whether anyone listens to the counters <see cref="Committed"/> feeds; a store may skip gathering events for it
    /// while no one does.
    /// </summary>
    public static bool IsEnabled => WeaverMetrics.CountsEvents;

    /// <summary>
    /// Counts what a committed history event means (<see cref="WeaverTelemetry.Instruments"/>): an attempt started, a
    /// result or failure committed, a retry scheduled, a task dead, a stale attempt taken back, a write rejected. Other
    /// events count nothing.
    /// </summary>
    /// <param name="kind">The task's kind.</param>
    /// <param name="committed">The event, as <see cref="TaskEvents"/> made it and the store wrote it.</param>
    public static void Committed(string kind, TaskEvent committed)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(committed);
        WeaverMetrics.Committed(kind, committed);
    }

    /// <summary>Counts a resource lock request that found one or more of its resources held by another task.</summary>
    public static void LockConflict() => WeaverMetrics.LockConflict();
}
