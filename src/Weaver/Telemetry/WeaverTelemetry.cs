using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Weaver;

/// <summary>
/// The names under which Weaver reports traces and metrics, in the OpenTelemetry style. Subscribe with
/// <c>tracing.AddSource(WeaverTelemetry.ActivitySourceName)</c> and <c>metrics.AddMeter(WeaverTelemetry.MeterName)</c>
/// (or an <see cref="ActivityListener"/> and a <see cref="MeterListener"/>); with nothing subscribed, Weaver records
/// nothing and allocates nothing for telemetry (ADR 0021).
/// </summary>
/// <remarks>
/// Each attempt a <see cref="WorkerGroup"/> runs is one span, <see cref="AttemptActivityName"/>, around its handler and
/// its commit. Its parent is the span that was current when the task was submitted (<see cref="TaskEngine.Submit"/>,
/// <see cref="IWeaverStore.CreateTaskAsync"/>): the W3C trace context travels with the task, through a database too.
/// Metrics are tagged with the task's kind at most, never with ids.
/// </remarks>
public static class WeaverTelemetry
{
    /// <summary>The name of Weaver's <see cref="System.Diagnostics.ActivitySource"/>.</summary>
    public const string ActivitySourceName = "Weaver";

    /// <summary>The name of Weaver's <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string MeterName = "Weaver";

    /// <summary>The operation name of an attempt's span.</summary>
    public const string AttemptActivityName = "weaver.attempt";

    private static readonly string? Version = typeof(WeaverTelemetry).Assembly.GetName().Version?.ToString();

    /// <summary>Where attempts' spans start.</summary>
    internal static ActivitySource Traces { get; } = new(ActivitySourceName, Version);

    /// <summary>Where Weaver's instruments live (<see cref="WeaverMetrics"/>).</summary>
    internal static Meter Metrics { get; } = new(MeterName, Version);

    /// <summary>The tag keys of Weaver's spans and metrics.</summary>
    public static class Tags
    {
        /// <summary>The task's id (spans only).</summary>
        public const string TaskId = "weaver.task.id";

        /// <summary>The task's kind: the name of its handler.</summary>
        public const string TaskKind = "weaver.task.kind";

        /// <summary>Which attempt of the task, from 1 (spans only).</summary>
        public const string AttemptNumber = "weaver.attempt.number";

        /// <summary>How the attempt ended: one of <see cref="Outcomes"/>.</summary>
        public const string AttemptOutcome = "weaver.attempt.outcome";

        /// <summary>The attempt's lease epoch, its fencing token (spans only).</summary>
        public const string LeaseEpoch = "weaver.lease.epoch";

        /// <summary>The worker that holds the attempt's lease (spans only).</summary>
        public const string LeaseOwner = "weaver.lease.owner";

        /// <summary>The type of the exception that failed the attempt (OpenTelemetry's <c>error.type</c>).</summary>
        public const string ErrorType = "error.type";
    }

    /// <summary>The values of <see cref="Tags.AttemptOutcome"/>.</summary>
    public static class Outcomes
    {
        /// <summary>The handler returned and its result was committed.</summary>
        public const string Succeeded = "succeeded";

        /// <summary>The handler threw and its failure was committed (a retry, or the task's death, follows).</summary>
        public const string Failed = "failed";

        /// <summary>The attempt's commit was rejected: its lease was lost first (a zombie's write).</summary>
        public const string Rejected = "rejected";

        /// <summary>A heartbeat failed: the lease was lost and the handler cancelled.</summary>
        public const string LeaseLost = "lease_lost";

        /// <summary>The task was cancelled while the handler ran.</summary>
        public const string Cancelled = "cancelled";

        /// <summary>The worker shut down and handed the attempt back.</summary>
        public const string Abandoned = "abandoned";

        /// <summary>The commit could not be written to the store; the lease will go stale and the task be taken back.</summary>
        public const string StoreError = "store_error";
    }

    /// <summary>The names of Weaver's instruments.</summary>
    public static class Instruments
    {
        /// <summary>Counter: attempts started, each a task claimed under a new lease. Tag: kind.</summary>
        public const string Claims = "weaver.task.claims";

        /// <summary>Counter: attempts whose result was committed. Tag: kind.</summary>
        public const string Completions = "weaver.task.completions";

        /// <summary>Counter: attempts whose failure was committed. Tag: kind.</summary>
        public const string Failures = "weaver.task.failures";

        /// <summary>Counter: retries scheduled after a failure. Tag: kind.</summary>
        public const string Retries = "weaver.task.retries";

        /// <summary>Counter: tasks that died (failed with no attempts left, or taken back with none left). Tag: kind.</summary>
        public const string Dead = "weaver.task.dead";

        /// <summary>Counter: running attempts taken back because their lease went stale. Tag: kind.</summary>
        public const string StaleReclaims = "weaver.lease.reclaims";

        /// <summary>Counter: writes rejected because their lease was lost (a zombie's heartbeat, decision, artifact or commit). Tag: kind.</summary>
        public const string RejectedWrites = "weaver.lease.rejected_writes";

        /// <summary>Counter: resource lock requests that found a resource held by another task.</summary>
        public const string LockConflicts = "weaver.lock.conflicts";

        /// <summary>Observable gauge: task ids ready in the in-memory engines' queues of this process.</summary>
        public const string QueueDepth = "weaver.queue.depth";

        /// <summary>Histogram, seconds: how long a lease renewal (a heartbeat) took.</summary>
        public const string HeartbeatDuration = "weaver.lease.heartbeat.duration";

        /// <summary>Histogram, seconds: an attempt from its start to its commit. Tags: kind, outcome.</summary>
        public const string AttemptDuration = "weaver.attempt.duration";
    }
}
