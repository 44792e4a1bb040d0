namespace Weaver;

/// <summary>One task of a <see cref="JobExplanation"/>.</summary>
/// <param name="TaskId">The task's id within its job.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Error">Why it did not succeed, or why its last attempt failed; <see langword="null"/> otherwise.</param>
/// <param name="Attempts">Its attempts, oldest first; empty for a task that never ran.</param>
/// <param name="CompensationAttempts">The attempts of its compensation, for a saga step that was compensated or tried to be.</param>
/// <param name="Decisions">The decisions about it, oldest first.</param>
public sealed record TaskExplanation(
    string TaskId,
    string Kind,
    JobTaskState State,
    string? Error,
    IReadOnlyList<AttemptRecord> Attempts,
    IReadOnlyList<AttemptRecord> CompensationAttempts,
    IReadOnlyList<DecisionRecord> Decisions);
