namespace Weaver;

/// <summary>One entry of a <see cref="ResourceLockManager"/>'s history.</summary>
/// <param name="At">When it happened (UTC, from the manager's <see cref="TimeProvider"/>).</param>
/// <param name="Kind">What happened.</param>
/// <param name="TaskId">The task that acquired, renewed or released, whose lease went stale, or that met a conflict.</param>
/// <param name="Owner">That task's worker.</param>
/// <param name="Resources">The resources of the lease, or those asked for in a conflict; normalized, distinct, in ordinal order.</param>
/// <param name="Epoch">The lease's epoch; 0 for a conflict, where no epoch was granted.</param>
/// <param name="Detail">The event in words (for a conflict, every conflicting resource and its holder).</param>
public sealed record ResourceLockEvent(
    DateTimeOffset At, ResourceLockEventKind Kind, string TaskId, string Owner, IReadOnlyList<ResourceKey> Resources, long Epoch, string Detail);
