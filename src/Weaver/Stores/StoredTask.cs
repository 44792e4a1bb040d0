namespace Weaver;

/// <summary>A task as a store holds it.</summary>
/// <param name="Id">The task's id.</param>
/// <param name="Kind">Its handler's name.</param>
/// <param name="State">Its lifecycle state.</param>
/// <param name="Input">Its input, serialized.</param>
/// <param name="Attempts">How many attempts started.</param>
/// <param name="MaxAttempts">How many it gets in all.</param>
/// <param name="Epoch">The epoch of its latest lease (0 before the first).</param>
/// <param name="Owner">The worker running it, while it runs.</param>
/// <param name="LeaseExpiresAt">When the running attempt's lease goes stale unless renewed (UTC).</param>
/// <param name="DueAt">When a scheduled retry may start (UTC).</param>
/// <param name="Result">The committed result, serialized.</param>
/// <param name="Error">Why it is dead, or why its last attempt failed.</param>
/// <param name="Cost">What its committed attempts cost, in all.</param>
/// <param name="History">Everything that happened to it, oldest first.</param>
public sealed record StoredTask(
    string Id,
    string Kind,
    TaskLifecycle.State State,
    string? Input,
    int Attempts,
    int MaxAttempts,
    long Epoch,
    string? Owner,
    DateTimeOffset? LeaseExpiresAt,
    DateTimeOffset? DueAt,
    string? Result,
    string? Error,
    decimal Cost,
    IReadOnlyList<TaskEvent> History);
