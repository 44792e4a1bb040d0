namespace Weaver;

/// <summary>
/// A set of resources held together by one task. The <see cref="Epoch"/> is the fencing token: greater than every
/// earlier epoch of each of its resources, never reused; a renewal or release with an older epoch changes nothing.
/// </summary>
/// <param name="TaskId">The task that holds the resources.</param>
/// <param name="Owner">The worker that runs the task.</param>
/// <param name="Epoch">The fencing token of this acquisition.</param>
/// <param name="Resources">The resources held, normalized, distinct and in ordinal order.</param>
/// <param name="ExpiresAt">
/// When the lease becomes stale unless renewed: the last heartbeat plus <see cref="LeaseOptions.StaleAfter"/>. The
/// lease is live up to and including this instant (UTC).
/// </param>
public sealed record ResourceLease(string TaskId, string Owner, long Epoch, IReadOnlyList<ResourceKey> Resources, DateTimeOffset ExpiresAt);
