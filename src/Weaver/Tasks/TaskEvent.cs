namespace Weaver;

/// <summary>What happened to a task.</summary>
public enum TaskEventKind
{
    /// <summary>The task was submitted.</summary>
    Submitted,

    /// <summary>A worker claimed it and started an attempt.</summary>
    AttemptStarted,

    /// <summary>An attempt's result was committed.</summary>
    Succeeded,

    /// <summary>An attempt failed; a retry was scheduled.</summary>
    RetryScheduled,

    /// <summary>An attempt failed and no attempts are left, or the failure is final.</summary>
    Dead,

    /// <summary>The running attempt's lease went stale; the task was taken back from its worker.</summary>
    Reclaimed,

    /// <summary>The running attempt was handed back by a worker that shut down.</summary>
    Abandoned,

    /// <summary>The task was cancelled.</summary>
    Cancelled,

    /// <summary>A write under a lost lease (a zombie's heartbeat, artifact or commit) was rejected and changed nothing.</summary>
    WriteRejected,

    /// <summary>The attempt's resources were locked before its handler ran.</summary>
    ResourcesAcquired,

    /// <summary>A resource the task needs is held by another task; the task waits until it is freed.</summary>
    ResourceConflict,

    /// <summary>The attempt ended and its resources were freed.</summary>
    ResourcesReleased,

    /// <summary>The running attempt's handler recorded a decision of its own (<see cref="TaskContext.RecordDecision"/>).</summary>
    DecisionRecorded,
}

/// <summary>One entry of a task's history.</summary>
/// <param name="At">When it happened (UTC, from the engine's <see cref="TimeProvider"/>).</param>
/// <param name="Kind">What happened.</param>
/// <param name="Attempt">The attempt it concerns (0 before the first).</param>
/// <param name="Owner">The worker involved, if any.</param>
/// <param name="Epoch">The lease epoch involved, if any (0 otherwise).</param>
/// <param name="Detail">A sentence a person can read.</param>
public sealed record TaskEvent(DateTimeOffset At, TaskEventKind Kind, int Attempt, string? Owner, long Epoch, string Detail)
{
    /// <summary>The decision this event records (a retry, a reclaim, a death, a wait for resources, a handler's own), if any.</summary>
    public Decision? Decision { get; init; }

    /// <summary>How attempt <see cref="Attempt"/> ended, when this event ends it; otherwise <see langword="null"/>.</summary>
    public AttemptOutcome? Outcome { get; init; }
}
