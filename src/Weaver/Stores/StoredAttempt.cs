namespace Weaver;

/// <summary>A started attempt as a store hands it to a worker; every write the worker makes carries its epoch.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="Kind">Its handler's name.</param>
/// <param name="Input">Its input, serialized.</param>
/// <param name="Number">Which attempt, from 1.</param>
/// <param name="Owner">The worker.</param>
/// <param name="Epoch">The fencing token: greater than every earlier epoch of the task.</param>
/// <param name="ExpiresAt">When the lease goes stale unless renewed, by the store's clock (UTC).</param>
public sealed record StoredAttempt(string TaskId, string Kind, string? Input, int Number, string Owner, long Epoch, DateTimeOffset ExpiresAt);
