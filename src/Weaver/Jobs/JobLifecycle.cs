namespace Weaver;

/// <summary>
/// The lifecycle of a job, declared as a task machine. Every way a job ends goes through one of its atomic triggers, so
/// a cancel racing with the last task's completion resolves to exactly one terminal state.
/// </summary>
[TaskMachine]
public sealed partial class JobLifecycle
{
    /// <summary>The states of a job.</summary>
    public enum State
    {
        /// <summary>Some of its tasks have not ended yet.</summary>
        [Initial] Running,

        /// <summary>Every task succeeded.</summary>
        [Terminal] Succeeded,

        /// <summary>A task died or was cancelled on its own, so the job can never succeed; the reason names it.</summary>
        [Terminal] Failed,

        /// <summary>The job was cancelled before it ended.</summary>
        [Terminal] Cancelled,
    }

    /// <summary>The last of its tasks succeeded.</summary>
    [Transition(State.Running, State.Succeeded)]
    public partial bool TrySucceed();

    /// <summary>No task can run anymore and not all of them succeeded.</summary>
    [Transition(State.Running, State.Failed)]
    public partial bool TryFail();

    /// <summary>The job is cancelled.</summary>
    [Transition(State.Running, State.Cancelled)]
    public partial bool TryCancel();
}
