namespace Weaver;

/// <summary>How one attempt of a task ended.</summary>
public enum AttemptOutcome
{
    /// <summary>It has not ended yet.</summary>
    Running,

    /// <summary>Its result was committed.</summary>
    Succeeded,

    /// <summary>Its handler failed; a retry was scheduled or the task died.</summary>
    Failed,

    /// <summary>Its lease went stale and the task was taken back from its worker; that worker's later writes are rejected.</summary>
    Reclaimed,

    /// <summary>Its worker shut down and handed the task back.</summary>
    Abandoned,

    /// <summary>The task was cancelled while it ran.</summary>
    Cancelled,
}
