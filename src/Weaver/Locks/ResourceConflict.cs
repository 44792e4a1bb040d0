namespace Weaver;

/// <summary>A requested resource that another lease holds.</summary>
/// <param name="Resource">The resource asked for.</param>
/// <param name="HolderTaskId">The task that holds it.</param>
/// <param name="HolderOwner">The worker that runs that task.</param>
/// <param name="HolderEpoch">The holder's epoch: the conflict is outdated once the resource is released or held under another epoch.</param>
/// <param name="HolderStaleAt">
/// The first instant (UTC) at which the holder is stale, unless it renews before: its lease's
/// <see cref="ResourceLease.ExpiresAt"/> plus one tick.
/// </param>
public sealed record ResourceConflict(ResourceKey Resource, string HolderTaskId, string HolderOwner, long HolderEpoch, DateTimeOffset HolderStaleAt)
{
    /// <summary>The conflict in words: which resource, and which task and owner hold it.</summary>
    /// <returns>For example <c>'src/a.cs' is held by task 'build-1' (owner 'w1', epoch 3) until 2026-11-22T12:07:00.0000001+00:00</c>.</returns>
    public override string ToString() =>
        $"'{Resource}' is held by task '{HolderTaskId}' (owner '{HolderOwner}', epoch {HolderEpoch}) until {HolderStaleAt:O}";
}
