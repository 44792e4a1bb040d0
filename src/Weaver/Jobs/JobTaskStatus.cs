namespace Weaver;

/// <summary>One task of a job as it was at one instant.</summary>
/// <param name="TaskId">The task's id within its job.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Attempts">How many attempts started.</param>
/// <param name="Error">Why it is dead, blocked, or why its last attempt failed; <see langword="null"/> otherwise.</param>
public sealed record JobTaskStatus(string TaskId, JobTaskState State, int Attempts, string? Error)
{
    /// <summary>The tasks of the job this one waits for.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>The task whose decider added this one, when a decider did.</summary>
    public string? Parent { get; init; }
}
