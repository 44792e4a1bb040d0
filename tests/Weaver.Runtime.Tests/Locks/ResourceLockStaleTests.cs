using static Weaver.Runtime.Tests.Locks.LockKit;

namespace Weaver.Runtime.Tests.Locks;

/// <summary>
/// The stale boundary, to the tick: a lease is live while <c>now - lastHeartbeat &lt;= StaleAfter</c> and stale one
/// tick later; then the next asker, the sweeper or a waiter's timer releases it, and the old holder's writes fail.
/// </summary>
public sealed class ResourceLockStaleTests
{
    [Fact]
    public void Exactly_at_StaleAfter_the_lease_is_live_and_conflicts()
    {
        var (clock, locks) = NewManager();
        var lease = locks.Acquire("t1", "w1", "a");
        clock.Advance(Short.StaleAfter);

        Assert.Equal(lease.ExpiresAt, clock.GetUtcNow());
        Assert.False(locks.TryAcquire("t2", "w2", ["a"]).Acquired);
        Assert.Equal(0, locks.ReleaseStale());
        Assert.True(locks.TryGetHolder("a", out _));
        Assert.True(locks.TryRenew(lease, out var renewed));
        Assert.Equal(clock.GetUtcNow() + Short.StaleAfter, renewed.ExpiresAt);
    }

    [Fact]
    public void One_tick_before_StaleAfter_the_lease_is_live()
    {
        var (clock, locks) = NewManager();
        var lease = locks.Acquire("t1", "w1", "a");
        clock.Advance(Short.StaleAfter - OneTick);

        Assert.False(locks.TryAcquire("t2", "w2", ["a"]).Acquired);
        Assert.Equal(0, locks.ReleaseStale());
        Assert.True(locks.TryRelease(lease));
    }

    [Fact]
    public void One_tick_past_StaleAfter_the_next_asker_releases_it_and_gets_a_higher_epoch()
    {
        var (clock, locks) = NewManager();
        var old = locks.Acquire("t1", "w1", "a", "b");
        clock.Advance(Short.StaleAfter + OneTick);

        Assert.False(locks.TryGetHolder("a", out _));
        Assert.Empty(locks.Held());
        var next = locks.Acquire("t2", "w2", "b", "c");

        Assert.Equal(2, next.Epoch);
        var stale = Assert.Single(locks.History("t1"), e => e.Kind == ResourceLockEventKind.StaleReleased);
        Assert.Equal((clock.GetUtcNow(), "w1", 1L), (stale.At, stale.Owner, stale.Epoch));
        Assert.Equal(Keys("a", "b"), stale.Resources);
        Assert.Contains("released when task 't2' asked for them", stale.Detail, StringComparison.Ordinal);

        // The whole stale lease went, not only the key asked for.
        Assert.True(locks.TryAcquire("t3", "w3", ["a"]).Acquired);
        OldHolderIsFenced(locks, old);
    }

    [Fact]
    public void One_tick_past_StaleAfter_the_sweeper_releases_it()
    {
        var (clock, locks) = NewManager();
        var old = locks.Acquire("t1", "w1", "a");
        var other = locks.Acquire("t2", "w2", "b");
        clock.Advance(Short.StaleAfter);
        Assert.True(locks.TryRenew(other, out var renewed));
        clock.Advance(OneTick);

        Assert.Equal(1, locks.ReleaseStale());
        Assert.Equal(0, locks.ReleaseStale());

        Assert.Equal([renewed], locks.Held());
        var stale = locks.History("t1")[^1];
        Assert.Equal(ResourceLockEventKind.StaleReleased, stale.Kind);
        Assert.Contains("released by the sweeper", stale.Detail, StringComparison.Ordinal);
        var next = locks.Acquire("t3", "w3", "a");
        Assert.Equal(2, next.Epoch);
        OldHolderIsFenced(locks, old);
    }

    [Fact]
    public void A_stale_lease_nobody_took_can_neither_be_renewed_nor_released()
    {
        var (clock, locks) = NewManager();
        var old = locks.Acquire("t1", "w1", "a");
        clock.Advance(Short.StaleAfter + OneTick);
        var before = locks.History().Count;

        Assert.False(locks.TryRenew(old, out _));
        Assert.False(locks.TryRelease(old));
        Assert.Equal(before, locks.History().Count);
        Assert.Equal(1, locks.ReleaseStale());
    }

    [Fact]
    public void Heartbeats_keep_a_lease_live_indefinitely()
    {
        var (clock, locks) = NewManager();
        var lease = locks.Acquire("t1", "w1", "a");
        for (var beat = 0; beat < 50; beat++)
        {
            clock.Advance(Short.HeartbeatInterval);
            Assert.True(locks.TryRenew(lease, out lease));
            Assert.Equal(0, locks.ReleaseStale());
        }

        Assert.False(locks.TryAcquire("t2", "w2", ["a"]).Acquired);
    }

    private static void OldHolderIsFenced(ResourceLockManager locks, ResourceLease old)
    {
        var before = Snapshot(locks);
        Assert.False(locks.TryRenew(old, out var renewed));
        Assert.Null(renewed);
        Assert.False(locks.TryRelease(old));
        Assert.Equal(before, Snapshot(locks));
    }
}
