namespace Weaver;

/// <summary>
/// The lifecycle of every task the runtime runs, declared as a task machine and driven only through its generated,
/// atomic triggers.
/// </summary>
[TaskMachine]
public sealed partial class TaskLifecycle
{
    /// <summary>The states of a task.</summary>
    public enum State
    {
        /// <summary>Waiting for a worker.</summary>
        [Initial] Queued,

        /// <summary>A worker holds its lease and runs its handler.</summary>
        Running,

        /// <summary>An attempt failed; the next one waits for its backoff delay.</summary>
        RetryScheduled,

        /// <summary>A run's result was committed.</summary>
        [Terminal] Succeeded,

        /// <summary>Attempts ran out, or it failed for good.</summary>
        [Terminal] Dead,

        /// <summary>Cancelled before it finished.</summary>
        [Terminal] Cancelled,
    }

    /// <summary>A worker that holds the task's lease starts an attempt.</summary>
    [Transition(State.Queued, State.Running)]
    public partial bool TryStart();

    /// <summary>The running attempt's result is committed.</summary>
    [Transition(State.Running, State.Succeeded)]
    public partial bool TrySucceed();

    /// <summary>The running attempt failed and attempts are left.</summary>
    [Transition(State.Running, State.RetryScheduled)]
    public partial bool TryScheduleRetry();

    /// <summary>A scheduled retry came due.</summary>
    [Transition(State.RetryScheduled, State.Queued)]
    public partial bool TryRequeue();

    /// <summary>The running attempt's worker went stale (or shut down) and attempts are left: queue it again.</summary>
    [Transition(State.Running, State.Queued)]
    public partial bool TryReclaim();

    /// <summary>No attempts are left, or the failure is final.</summary>
    [Transition(State.Running, State.Dead)]
    [Transition(State.RetryScheduled, State.Dead)]
    public partial bool TryKill();

    /// <summary>The task is cancelled before it finished.</summary>
    [Transition(State.Queued, State.Cancelled)]
    [Transition(State.Running, State.Cancelled)]
    [Transition(State.RetryScheduled, State.Cancelled)]
    public partial bool TryCancel();
}
