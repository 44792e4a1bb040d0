namespace Weaver;

/// <summary>What a <see cref="JobEvent"/> reports.</summary>
public enum JobEventKind
{
    /// <summary>The job was accepted.</summary>
    Submitted,

    /// <summary>A task's dependencies all succeeded (or it has none), and it was handed to the engine.</summary>
    TaskQueued,

    /// <summary>A task succeeded.</summary>
    TaskSucceeded,

    /// <summary>A task ran out of attempts, or could not be handed to the engine.</summary>
    TaskDead,

    /// <summary>A task was cancelled.</summary>
    TaskCancelled,

    /// <summary>A task can never run: a task it depends on died or was cancelled.</summary>
    TaskBlocked,

    /// <summary>A budget of the job or of one of its tasks was reached; the <see cref="JobFailed"/> event follows.</summary>
    BudgetReached,

    /// <summary>Every task succeeded; the job's last event.</summary>
    JobSucceeded,

    /// <summary>The job can never succeed; the job's last event.</summary>
    JobFailed,

    /// <summary>The job was cancelled; the job's last event.</summary>
    JobCancelled,

    /// <summary>A task's handler succeeded and its decider split it into child tasks, which were added to the job.</summary>
    TaskDecomposed,

    /// <summary>A cancel was accepted: the job's tasks are cancelled, then <see cref="JobCancelled"/> follows (for a saga, after its compensations).</summary>
    CancelRequested,

    /// <summary>A saga did not succeed: the compensations of its succeeded steps start, last step first.</summary>
    CompensationStarted,

    /// <summary>A step's compensation succeeded: the step is undone.</summary>
    TaskCompensated,

    /// <summary>A step's compensation died or was cancelled: the saga is quarantined.</summary>
    CompensationFailed,

    /// <summary>
    /// A coordinator took the job over from one that stopped (it crashed, or its process ended): it follows the job's
    /// tasks again from the store, and the job goes on where it was.
    /// </summary>
    Resumed,
}
