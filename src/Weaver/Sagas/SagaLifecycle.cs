namespace Weaver;

/// <summary>
/// The lifecycle of a saga: a job whose tasks have compensations (<see cref="JobTaskSpec.Compensation"/>). Each way a
/// saga ends goes through one of these atomic triggers, and no trigger leaves a terminal state: a saga that ended
/// stays as it ended.
/// </summary>
[TaskMachine]
public sealed partial class SagaLifecycle
{
    /// <summary>The states of a saga.</summary>
    public enum State
    {
        /// <summary>Its steps run, or a failure or cancel waits for the steps still running to stop.</summary>
        [Initial] Running,

        /// <summary>A step failed or the saga was cancelled: the compensations of the steps that succeeded run, last step first.</summary>
        Compensating,

        /// <summary>Every step succeeded.</summary>
        [Terminal] Completed,

        /// <summary>A step failed, or the saga was cancelled, before any step with a compensation succeeded: nothing had to be undone.</summary>
        [Terminal] Failed,

        /// <summary>A step failed, or the saga was cancelled, and every succeeded step's compensation succeeded.</summary>
        [Terminal] Compensated,

        /// <summary>A compensation itself failed: the saga is left for a person to repair; its reason names what was not undone.</summary>
        [Terminal] Quarantined,
    }

    /// <summary>The last step succeeded.</summary>
    [Transition(State.Running, State.Completed)]
    public partial bool TryComplete();

    /// <summary>The saga did not succeed and there is nothing to undo.</summary>
    [Transition(State.Running, State.Failed)]
    public partial bool TryFail();

    /// <summary>The saga did not succeed: start undoing the steps that did.</summary>
    [Transition(State.Running, State.Compensating)]
    public partial bool TryCompensate();

    /// <summary>The last compensation succeeded.</summary>
    [Transition(State.Compensating, State.Compensated)]
    public partial bool TryMarkCompensated();

    /// <summary>A compensation failed.</summary>
    [Transition(State.Compensating, State.Quarantined)]
    public partial bool TryQuarantine();
}
