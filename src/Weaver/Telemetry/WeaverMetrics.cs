using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using static Weaver.WeaverTelemetry;

namespace Weaver;

/// <summary>
/// Weaver's instruments. A counter or histogram with no listener returns at once from <c>Add</c>/<c>Record</c>, and
/// every tag here is passed as a <see cref="KeyValuePair{TKey, TValue}"/> on the stack, so recording costs nothing and
/// allocates nothing while no one listens.
/// </summary>
internal static class WeaverMetrics
{
    // Weakly: an engine nobody disposed stops being counted once it is collected.
    private static readonly ConditionalWeakTable<TaskQueue<string>, object> Queues = [];

    private static readonly Counter<long> Claims = Metrics.CreateCounter<long>(Instruments.Claims, "{attempt}", "Attempts started: a task claimed under a new lease.");
    private static readonly Counter<long> Completions = Metrics.CreateCounter<long>(Instruments.Completions, "{attempt}", "Attempts whose result was committed.");
    private static readonly Counter<long> Failures = Metrics.CreateCounter<long>(Instruments.Failures, "{attempt}", "Attempts whose failure was committed.");
    private static readonly Counter<long> Retries = Metrics.CreateCounter<long>(Instruments.Retries, "{retry}", "Retries scheduled after a failure.");
    private static readonly Counter<long> Dead = Metrics.CreateCounter<long>(Instruments.Dead, "{task}", "Tasks that died: failed or taken back with no attempts left.");
    private static readonly Counter<long> StaleReclaims = Metrics.CreateCounter<long>(Instruments.StaleReclaims, "{attempt}", "Running attempts taken back because their lease went stale.");
    private static readonly Counter<long> RejectedWrites = Metrics.CreateCounter<long>(Instruments.RejectedWrites, "{write}", "Writes rejected because their lease was lost.");
    private static readonly Counter<long> LockConflicts = Metrics.CreateCounter<long>(Instruments.LockConflicts, "{request}", "Resource lock requests that found a resource held by another task.");

    private static readonly Histogram<double> HeartbeatDuration = Metrics.CreateHistogram<double>(
        Instruments.HeartbeatDuration, "s", "How long a lease renewal took.");

    private static readonly Histogram<double> AttemptDuration = Metrics.CreateHistogram<double>(
        Instruments.AttemptDuration, "s", "An attempt from its start to its commit.");

    private static readonly ObservableGauge<int> QueueDepth = Metrics.CreateObservableGauge(
        Instruments.QueueDepth, ObserveQueues, "{task}", "Task ids ready in the queues of this process's in-memory engines.");

    /// <summary>Whether a listener takes any counter that <see cref="Committed"/> feeds.</summary>
    public static bool CountsEvents =>
        Claims.Enabled || Completions.Enabled || Failures.Enabled || Retries.Enabled || Dead.Enabled || StaleReclaims.Enabled || RejectedWrites.Enabled;

    /// <summary>Whether a listener takes <see cref="HeartbeatDuration"/>: only then is a renewal timed.</summary>
    public static bool HeartbeatsTimed => HeartbeatDuration.Enabled;

    /// <summary>Whether a listener takes <see cref="AttemptDuration"/>: only then is an attempt timed.</summary>
    public static bool AttemptsTimed => AttemptDuration.Enabled;

    /// <summary>
    /// Counts what a committed history event of a task means: a claim, a completion, a failure and its retry or death, a
    /// stale take-back, a rejected write. Every store writes its history with <see cref="TaskEvents"/>, so one mapping
    /// counts the same on every store.
    /// </summary>
    public static void Committed(string kind, TaskEvent committed)
    {
        var tag = new KeyValuePair<string, object?>(Tags.TaskKind, kind);
        switch (committed.Kind)
        {
            case TaskEventKind.AttemptStarted:
                Claims.Add(1, tag);
                break;
            case TaskEventKind.Succeeded:
                Completions.Add(1, tag);
                break;
            case TaskEventKind.RetryScheduled:
                Failures.Add(1, tag);
                Retries.Add(1, tag);
                break;
            case TaskEventKind.Reclaimed:
                StaleReclaims.Add(1, tag);
                break;
            case TaskEventKind.Dead:
                // A death ends either a failed attempt or one taken back with no attempts left.
                (committed.Outcome == AttemptOutcome.Reclaimed ? StaleReclaims : Failures).Add(1, tag);
                Dead.Add(1, tag);
                break;
            case TaskEventKind.WriteRejected:
                RejectedWrites.Add(1, tag);
                break;
        }
    }

    /// <summary>Counts a lock request that found one or more of its resources held by another task.</summary>
    public static void LockConflict() => LockConflicts.Add(1);

    /// <summary>Counts <paramref name="queue"/>'s ready items in <see cref="QueueDepth"/> until <see cref="Untrack"/>.</summary>
    public static void Track(TaskQueue<string> queue) => Queues.AddOrUpdate(queue, QueueDepth);

    public static void Untrack(TaskQueue<string> queue) => Queues.Remove(queue);

    public static void Heartbeat(TimeSpan took) => HeartbeatDuration.Record(took.TotalSeconds);

    public static void Attempt(string kind, string outcome, TimeSpan took) =>
        AttemptDuration.Record(
            took.TotalSeconds,
            new KeyValuePair<string, object?>(Tags.TaskKind, kind),
            new KeyValuePair<string, object?>(Tags.AttemptOutcome, outcome));

    /// <summary>Runs only when a listener collects the gauge: the queues are read then, never on the hot path.</summary>
    private static int ObserveQueues()
    {
        var ready = 0;
        foreach (var (queue, _) in Queues)
        {
            ready += queue.ReadyCount;
        }

        return ready;
    }
}
