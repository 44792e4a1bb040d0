using Microsoft.Extensions.Time.Testing;

namespace Weaver.Runtime.Tests.Locks;

/// <summary>Shared fixtures for the resource-lock tests: a fake clock at a fixed start and a manager on it.</summary>
internal static class LockKit
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);

    /// <summary>Stale 140 ms after the last heartbeat.</summary>
    public static readonly LeaseOptions Short = new()
    {
        LeaseDuration = TimeSpan.FromMilliseconds(100),
        HeartbeatInterval = TimeSpan.FromMilliseconds(20),
        StaleAfterMissedHeartbeats = 2,
    };

    public static (FakeTimeProvider Clock, ResourceLockManager Locks) NewManager(ResourceKeyCase keyCase = ResourceKeyCase.Sensitive)
    {
        var clock = new FakeTimeProvider(Start);
        return (clock, new ResourceLockManager(new ResourceLockOptions { Leases = Short, KeyCase = keyCase }, clock));
    }

    public static ResourceLease Acquire(this ResourceLockManager locks, string taskId, string owner, params string[] resources)
    {
        var result = locks.TryAcquire(taskId, owner, resources);
        Assert.True(result.Acquired, result.Describe());
        return result.Lease;
    }

    public static IReadOnlyList<ResourceKey> Keys(params string[] values) => [.. values.Select(v => ResourceKey.Normalize(v))];

    /// <summary>Everything observable about the manager, to assert that a refused call changed nothing.</summary>
    public static string Snapshot(ResourceLockManager locks) =>
        string.Join(" | ", locks.Held().Select(l => $"{l.TaskId}/{l.Owner} e{l.Epoch} [{string.Join(",", l.Resources)}] until {l.ExpiresAt:O}"))
        + $" || {locks.History().Count} events";
}
