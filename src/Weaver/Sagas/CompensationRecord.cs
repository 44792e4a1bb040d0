namespace Weaver;

/// <summary>One compensation of a saga, kept after the saga ended.</summary>
/// <param name="TaskId">The step it undoes.</param>
/// <param name="Kind">The compensation's task kind.</param>
/// <param name="EngineTaskId">The engine task that runs it: <c>{jobId}/{taskId}#compensation</c>.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Attempts">How many attempts it took.</param>
/// <param name="Error">Why it failed, or why it never ran.</param>
/// <param name="StartedAt">When it was handed to the engine.</param>
/// <param name="EndedAt">When it ended.</param>
public sealed record CompensationRecord(
    string TaskId,
    string Kind,
    string EngineTaskId,
    CompensationState State,
    int Attempts,
    string? Error,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt);
