using static Weaver.Runtime.Tests.Locks.LockKit;

namespace Weaver.Runtime.Tests.Locks;

/// <summary>
/// <see cref="ResourceLockManager.WaitForReleaseAsync"/> wakes a waiting task on a release, a stale release or its own
/// timer at the holder's stale instant, and never before; nothing here sleeps, the fake clock is moved instead.
/// </summary>
public sealed class ResourceLockWaitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_release_wakes_the_waiting_task()
    {
        var (_, locks) = NewManager();
        var holder = locks.Acquire("t1", "w1", "a", "b");
        var conflict = locks.TryAcquire("t2", "w2", ["b", "c"]);

        var wait = locks.WaitForReleaseAsync(conflict.Conflicts);
        Assert.False(wait.IsCompleted);

        Assert.True(locks.TryRelease(holder));
        await wait.WaitAsync(Patience);
        Assert.True(locks.TryAcquire("t2", "w2", ["b", "c"]).Acquired);
    }

    [Fact]
    public async Task A_renewal_does_not_wake_it_and_the_stale_timer_follows_the_new_deadline()
    {
        var (clock, locks) = NewManager();
        var holder = locks.Acquire("t1", "w1", "a");
        var wait = locks.WaitForReleaseAsync(locks.TryAcquire("t2", "w2", ["a"]).Conflicts);

        clock.Advance(Short.HeartbeatInterval);
        Assert.True(locks.TryRenew(holder, out var renewed));
        clock.Advance(Short.StaleAfter - Short.HeartbeatInterval + OneTick); // one tick past the first deadline
        Assert.False(wait.IsCompleted);
        Assert.Equal([renewed], locks.Held());

        clock.Advance(renewed.ExpiresAt - clock.GetUtcNow()); // exactly at the renewed deadline: still live
        Assert.False(wait.IsCompleted);

        clock.Advance(OneTick);
        await wait.WaitAsync(Patience);
        Assert.Empty(locks.Held());
        var stale = locks.History("t1")[^1];
        Assert.Equal((ResourceLockEventKind.StaleReleased, renewed.ExpiresAt + OneTick), (stale.Kind, stale.At));
        Assert.Contains("released by the timer of a task waiting for them", stale.Detail, StringComparison.Ordinal);
        Assert.Equal(2, locks.Acquire("t2", "w2", "a").Epoch);
    }

    [Fact]
    public async Task The_timer_wakes_the_waiter_at_the_earliest_conflicting_holders_stale_instant()
    {
        var (clock, locks) = NewManager();
        locks.Acquire("t1", "w1", "a");
        clock.Advance(TimeSpan.FromMilliseconds(30));
        locks.Acquire("t2", "w2", "b");
        var conflicts = locks.TryAcquire("t3", "w3", ["a", "b"]).Conflicts;
        Assert.Equal(2, conflicts.Count);

        var wait = locks.WaitForReleaseAsync(conflicts);
        clock.Advance(conflicts[0].HolderStaleAt - clock.GetUtcNow() - OneTick);
        Assert.False(wait.IsCompleted);
        clock.Advance(OneTick);

        await wait.WaitAsync(Patience);
        Assert.False(locks.TryGetHolder("a", out _));
        Assert.True(locks.TryGetHolder("b", out _));
    }

    [Fact]
    public async Task The_sweeper_wakes_the_waiting_task()
    {
        var (clock, locks) = NewManager();
        locks.Acquire("t1", "w1", "a");
        var wait = locks.WaitForReleaseAsync(locks.TryAcquire("t2", "w2", ["a"]).Conflicts);

        // AdjustTime moves the clock without running timers, so the sweeper gets there before the waiter's timer.
        clock.AdjustTime(clock.GetUtcNow() + Short.StaleAfter + OneTick);
        Assert.False(wait.IsCompleted);
        Assert.Equal(1, locks.ReleaseStale());

        await wait.WaitAsync(Patience);
        Assert.Contains("released by the sweeper", locks.History("t1")[^1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_askers_stale_release_wakes_the_waiting_task()
    {
        var (clock, locks) = NewManager();
        locks.Acquire("t1", "w1", "a", "b");
        var wait = locks.WaitForReleaseAsync(locks.TryAcquire("t2", "w2", ["a"]).Conflicts);

        clock.AdjustTime(clock.GetUtcNow() + Short.StaleAfter + OneTick);
        Assert.False(wait.IsCompleted);
        Assert.True(locks.TryAcquire("t3", "w3", ["b"]).Acquired); // releases t1's whole stale lease, "a" too

        await wait.WaitAsync(Patience);
        Assert.Contains("released when task 't3' asked for them", locks.History("t1")[^1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_stops_the_timer_and_fails_pending_waits()
    {
        var (clock, locks) = NewManager();
        locks.Acquire("t1", "w1", "a");
        var conflicts = locks.TryAcquire("t2", "w2", ["a"]).Conflicts;
        var wait = locks.WaitForReleaseAsync(conflicts);

        locks.Dispose();
        locks.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => wait.WaitAsync(Patience));
        clock.Advance(Short.StaleAfter + OneTick);
        Assert.Equal("t1", Assert.Single(locks.History(), e => e.Kind != ResourceLockEventKind.Conflict).TaskId); // no timer released it
        Assert.Throws<ObjectDisposedException>(() => { _ = locks.WaitForReleaseAsync(conflicts); }); // thrown, not a faulted task
        Assert.True(locks.TryAcquire("t2", "w2", ["a"]).Acquired); // the locks themselves still work
    }

    [Fact]
    public void An_outdated_conflict_completes_at_once()
    {
        var (clock, locks) = NewManager();
        var first = locks.Acquire("t1", "w1", "a");
        var conflicts = locks.TryAcquire("t2", "w2", ["a"]).Conflicts;

        Assert.True(locks.TryRelease(first));
        Assert.True(locks.WaitForReleaseAsync(conflicts).IsCompletedSuccessfully);

        locks.Acquire("t3", "w3", "a"); // held again, under another epoch
        Assert.True(locks.WaitForReleaseAsync(conflicts).IsCompletedSuccessfully);

        var current = locks.TryAcquire("t2", "w2", ["a"]).Conflicts;
        clock.Advance(Short.StaleAfter + OneTick); // stale, not yet released: released by the wait itself
        Assert.True(locks.WaitForReleaseAsync(current).IsCompletedSuccessfully);
        Assert.Equal(ResourceLockEventKind.StaleReleased, locks.History("t3")[^1].Kind);
    }

    [Fact]
    public async Task Cancellation_ends_the_wait_and_withdraws_it()
    {
        var (_, locks) = NewManager();
        var holder = locks.Acquire("t1", "w1", "a");
        var conflicts = locks.TryAcquire("t2", "w2", ["a"]).Conflicts;
        using var cancel = new CancellationTokenSource();

        var wait = locks.WaitForReleaseAsync(conflicts, cancel.Token);
        await cancel.CancelAsync();

        var canceled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Patience));
        Assert.Equal(cancel.Token, canceled.CancellationToken);
        Assert.True(locks.TryRelease(holder));

        Assert.True(locks.WaitForReleaseAsync(conflicts, cancel.Token).IsCanceled);
    }

    [Fact]
    public void Waiting_on_no_conflicts_is_rejected()
    {
        var (_, locks) = NewManager();
        var exception = Assert.Throws<ArgumentException>(() => { _ = locks.WaitForReleaseAsync([]); });
        Assert.StartsWith("Pass the conflicts of a failed TryAcquire", exception.Message, StringComparison.Ordinal);
    }
}
