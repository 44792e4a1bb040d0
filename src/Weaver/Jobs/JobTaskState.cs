namespace Weaver;

/// <summary>Where one task of a job stands, as the job's status reports it.</summary>
public enum JobTaskState
{
    /// <summary>Waiting for its dependencies to succeed; not yet handed to the engine.</summary>
    Pending,

    /// <summary>Handed to the engine and waiting for a worker.</summary>
    Queued,

    /// <summary>A worker runs its handler.</summary>
    Running,

    /// <summary>An attempt failed; the next one waits for its backoff delay.</summary>
    RetryScheduled,

    /// <summary>Its result was committed.</summary>
    Succeeded,

    /// <summary>It ran out of attempts, or could not be handed to the engine.</summary>
    Dead,

    /// <summary>It was cancelled, with its job or on its own.</summary>
    Cancelled,

    /// <summary>A task it depends on, directly or through others, died or was cancelled: it will never run.</summary>
    Blocked,

    /// <summary>
    /// Its handler succeeded and its decider split it into child tasks: it succeeds once all of them have, and its
    /// dependents wait until then; it dies when one of them dies or is cancelled.
    /// </summary>
    Decomposed,

    /// <summary>It succeeded, then a later failure or a cancel of its saga undid it: its compensation succeeded.</summary>
    Compensated,
}
