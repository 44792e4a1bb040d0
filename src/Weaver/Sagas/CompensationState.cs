namespace Weaver;

/// <summary>Where one compensation of a saga stands.</summary>
public enum CompensationState
{
    /// <summary>Waiting for the compensations of later steps to succeed.</summary>
    Pending,

    /// <summary>Handed to the engine: queued, running or waiting to retry.</summary>
    Running,

    /// <summary>It succeeded: its step is undone.</summary>
    Succeeded,

    /// <summary>It died or was cancelled: the saga is quarantined.</summary>
    Failed,

    /// <summary>An earlier compensation failed, so this one never ran.</summary>
    NotRun,
}
