using Microsoft.Extensions.Time.Testing;
using static Weaver.Runtime.Tests.Claims.ClaimTableKit;

namespace Weaver.Runtime.Tests.Leases;

/// <summary>The heartbeat loop on a fake clock: renewals, losing the lease, <see cref="LeaseLostException"/>, disposal.</summary>
public sealed class LeaseKeeperTests
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(420);

    [Fact]
    public void Each_HeartbeatInterval_renews_the_lease()
    {
        var (clock, table) = NewTable();
        Assert.True(table.TryClaim("task-1", "w1", out var lease));
        using var keeper = new LeaseKeeper(table, lease, clock);
        Assert.Equal((0, lease), (keeper.Heartbeats, keeper.Lease));

        clock.Advance(Heartbeat - Ms(1));
        Assert.Equal(0, keeper.Heartbeats);

        clock.Advance(Ms(1));
        Assert.Equal(1, keeper.Heartbeats);
        Assert.Equal(lease with { ExpiresAt = Start + Heartbeat + StaleAfter }, keeper.Lease);
        Assert.True(table.TryGetHolder("task-1", out var holder));
        Assert.Equal(keeper.Lease, holder);

        clock.Advance(Heartbeat);
        Assert.Equal(2, keeper.Heartbeats);
        Assert.Equal(Start + (2 * Heartbeat) + StaleAfter, keeper.Lease.ExpiresAt);
        Assert.False(keeper.IsLost);
        Assert.False(keeper.Token.IsCancellationRequested);
        Assert.Equal(1, table.LatestEpoch("task-1"));
    }

    [Fact]
    public void A_kept_lease_stays_live_long_past_StaleAfter()
    {
        var (clock, table) = NewTable();
        Assert.True(table.TryClaim("task-1", "w1", out var lease));
        using var keeper = new LeaseKeeper(table, lease, clock);

        for (var minute = 0; minute < 60; minute++)
        {
            clock.Advance(Heartbeat);
        }

        Assert.Equal(60, keeper.Heartbeats);
        Assert.False(table.TryClaim("task-1", "w2", out var conflict));
        Assert.Equal(keeper.Lease, conflict);
        Assert.Equal(clock.GetUtcNow() + StaleAfter, conflict.ExpiresAt);
        Assert.False(keeper.IsLost);
    }

    [Fact]
    public void Heartbeat_renews_now()
    {
        var tableClock = new FakeTimeProvider(Start);
        var timerClock = new FakeTimeProvider(Start); // stands still: no tick runs
        var table = new ClaimTable<string>(null, tableClock);
        Assert.True(table.TryClaim("task-1", "w1", out var lease));
        using var keeper = new LeaseKeeper(table, lease, timerClock);
        tableClock.Advance(TimeSpan.FromSeconds(10));

        keeper.Heartbeat();

        Assert.Equal(1, keeper.Heartbeats);
        Assert.Equal(Start + TimeSpan.FromSeconds(10) + StaleAfter, keeper.Lease.ExpiresAt);
        Assert.True(table.TryGetHolder("task-1", out var holder));
        Assert.Equal(keeper.Lease, holder);
    }

    [Fact]
    public void When_another_owner_took_the_key_over_the_next_tick_cancels_the_token()
    {
        var (clock, table) = NewTable();
        Assert.True(table.TryClaim("task-1", "w1", out var lease));
        using var keeper = new LeaseKeeper(table, lease, clock);
        clock.Advance(Heartbeat);
        Assert.Equal(1, keeper.Heartbeats);
        var kept = keeper.Lease;

        // Someone frees the key behind the keeper's back and another worker claims it.
        Assert.True(table.TryRelease(kept));
        Assert.True(table.TryClaim("task-1", "w2", out var taken));
        Assert.False(keeper.Token.IsCancellationRequested); // nothing notices until the next tick

        clock.Advance(Heartbeat);

        Assert.True(keeper.Token.IsCancellationRequested);
        Assert.True(keeper.IsLost);
        Assert.Equal(1, keeper.Heartbeats);
        Assert.Equal(kept, keeper.Lease);
        Assert.True(table.TryGetHolder("task-1", out var holder));
        Assert.Equal(taken, holder); // the failed renewal did not touch the new holder's lease
    }

    [Fact]
    public void When_the_keeper_falls_behind_and_the_lease_goes_stale_and_is_reclaimed_the_next_tick_cancels_the_token()
    {
        // The table's clock runs on while the keeper's timer clock stands still: a keeper that missed its heartbeats.
        var tableClock = new FakeTimeProvider(Start);
        var timerClock = new FakeTimeProvider(Start);
        var table = new ClaimTable<string>(null, tableClock);
        Assert.True(table.TryClaim("task-1", "w1", out var lease));
        using var keeper = new LeaseKeeper(table, lease, timerClock);

        tableClock.Advance(StaleAfter + Ms(1));
        Assert.True(table.TryExpire("task-1", out _));
        Assert.True(table.TryClaim("task-1", "w2", out var taken));
        Assert.Equal(2, taken.Epoch);

        timerClock.Advance(Heartbeat);

        Assert.True(keeper.IsLost);
        Assert.True(keeper.Token.IsCancellationRequested);
        Assert.Equal(0, keeper.Heartbeats);
        Assert.True(table.TryGetHolder("task-1", out var holder));
        Assert.Equal(taken, holder);
    }

    [Fact]
    public void A_stale_lease_is_lost_at_the_next_tick_even_if_nobody_claimed_it()
    {
        var tableClock = new FakeTimeProvider(Start);
        var timerClock = new FakeTimeProvider(Start);
        var table = new ClaimTable<string>(null, tableClock);
        Assert.True(table.TryClaim("task-1", "w1", out var lease));
        using var keeper = new LeaseKeeper(table, lease, timerClock);
        tableClock.Advance(StaleAfter + Ms(1));

        timerClock.Advance(Heartbeat);

        Assert.True(keeper.IsLost);
        Assert.True(keeper.Token.IsCancellationRequested);
        Assert.Equal([lease], table.StaleLeases()); // the failed renewal left the stale lease for the sweeper
    }

    [Fact]
    public void The_token_is_cancelled_after_IsLost_is_set_so_a_callback_sees_the_loss()
    {
        var (clock, table) = NewTable();
        Assert.True(table.TryClaim("task-1", "w1", out var lease));
        using var keeper = new LeaseKeeper(table, lease, clock);
        bool? lostWhenCancelled = null;
        using var registration = keeper.Token.Register(() => lostWhenCancelled = keeper.IsLost);
        Assert.True(table.TryRelease(lease));

        clock.Advance(Heartbeat);

        Assert.True(lostWhenCancelled);
    }

    [Fact]
    public void After_the_loss_Heartbeat_throws_LeaseLostException_naming_key_owner_and_epoch()
    {
        var (clock, table) = NewTable();
        Assert.True(table.TryClaim("task-1", "w1", out var first));
        Assert.True(table.TryRelease(first));
        Assert.True(table.TryClaim("task-1", "w1", out var lease)); // epoch 2
        using var keeper = new LeaseKeeper(table, lease, clock);
        Assert.True(table.TryRelease(lease));
        Assert.True(table.TryClaim("task-1", "w2", out _));
        clock.Advance(Heartbeat);
        Assert.True(keeper.IsLost);

        var error = Assert.Throws<LeaseLostException>(keeper.Heartbeat);

        Assert.Equal(("task-1", "w1", 2L, "heartbeat"), (error.Key, error.Owner, error.Epoch, error.Operation));
        Assert.Equal("'w1' no longer holds the lease on 'task-1' (epoch 2), so its heartbeat was rejected and changed nothing.", error.Message);
        Assert.IsAssignableFrom<InvalidOperationException>(error);
        Assert.Throws<LeaseLostException>(keeper.Heartbeat); // and again: a lost lease stays lost
        Assert.Equal(0, keeper.Heartbeats);
    }

    [Fact]
    public void Heartbeat_on_a_lease_lost_before_any_tick_throws_and_cancels_the_token()
    {
        var (clock, table) = NewTable();
        Assert.True(table.TryClaim("task-1", "w1", out var lease));
        using var keeper = new LeaseKeeper(table, lease, clock);
        clock.Advance(Ms(10));
        Assert.True(table.TryRelease(lease));

        var error = Assert.Throws<LeaseLostException>(keeper.Heartbeat);

        Assert.Equal(1, error.Epoch);
        Assert.True(keeper.IsLost);
        Assert.True(keeper.Token.IsCancellationRequested);
    }

    [Fact]
    public void A_lost_lease_stays_lost_even_if_its_key_is_free_again()
    {
        var (clock, table) = NewTable();
        Assert.True(table.TryClaim("task-1", "w1", out var lease));
        using var keeper = new LeaseKeeper(table, lease, clock);
        Assert.True(table.TryRelease(lease));
        clock.Advance(Heartbeat);
        Assert.True(keeper.IsLost);

        clock.Advance(10 * Heartbeat);

        Assert.True(keeper.IsLost);
        Assert.Equal(0, keeper.Heartbeats);
        Assert.False(table.TryGetHolder("task-1", out _));
        Assert.True(table.TryClaim("task-1", "w2", out var next));
        Assert.Equal(2, next.Epoch);
    }

    [Fact]
    public void Disposing_stops_the_heartbeats_and_leaves_the_lease_as_it_is()
    {
        var (clock, table) = NewTable();
        Assert.True(table.TryClaim("task-1", "w1", out var lease));
        var keeper = new LeaseKeeper(table, lease, clock);
        clock.Advance(Heartbeat);
        Assert.Equal(1, keeper.Heartbeats);
        var lastRenewed = keeper.Lease;

        keeper.Dispose();

        Assert.True(table.TryGetHolder("task-1", out var holder));
        Assert.Equal(lastRenewed, holder); // not released by Dispose

        clock.Advance(StaleAfter); // 7 heartbeat intervals: none runs
        Assert.Equal(1, keeper.Heartbeats);
        Assert.False(keeper.IsLost);
        Assert.True(table.TryGetHolder("task-1", out holder));
        Assert.Equal(lastRenewed, holder); // ExpiresAt did not move

        clock.Advance(Ms(1));
        Assert.False(table.TryGetHolder("task-1", out _)); // so it goes stale on schedule
        Assert.True(table.TryClaim("task-1", "w2", out var taken));
        Assert.Equal(2, taken.Epoch);
    }

    [Fact]
    public void Stopping_from_outside_cancels_the_token_without_marking_the_lease_lost()
    {
        var (clock, table) = NewTable();
        Assert.True(table.TryClaim("task-1", "w1", out var lease));
        using var stopping = new CancellationTokenSource();
        using var keeper = new LeaseKeeper(table, lease, clock, stopping.Token);

        stopping.Cancel();

        Assert.True(keeper.Token.IsCancellationRequested);
        Assert.False(keeper.IsLost);
        Assert.True(table.IsCurrent(lease));
    }

    [Fact]
    public void The_keeper_heartbeats_at_the_tables_interval()
    {
        var options = new LeaseOptions { LeaseDuration = TimeSpan.FromSeconds(10), HeartbeatInterval = TimeSpan.FromSeconds(3), StaleAfterMissedHeartbeats = 1 };
        var (clock, table) = NewTable(options);
        Assert.True(table.TryClaim("task-1", "w1", out var lease));
        using var keeper = new LeaseKeeper(table, lease, clock);

        clock.Advance(TimeSpan.FromSeconds(2.999));
        Assert.Equal(0, keeper.Heartbeats);
        clock.Advance(Ms(1));
        Assert.Equal(1, keeper.Heartbeats);
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromSeconds(13), keeper.Lease.ExpiresAt);
        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(2, keeper.Heartbeats);
    }

    [Fact]
    public void The_constructor_rejects_a_null_table_or_clock()
    {
        var (clock, table) = NewTable();
        Assert.True(table.TryClaim("task-1", "w1", out var lease));

        Assert.Equal("table", Assert.Throws<ArgumentNullException>(() => new LeaseKeeper(null!, lease, clock)).ParamName);
        Assert.Equal("timeProvider", Assert.Throws<ArgumentNullException>(() => new LeaseKeeper(table, lease, null!)).ParamName);
    }

    [Fact]
    public void The_constructor_rejects_an_empty_lease()
    {
        var (clock, table) = NewTable();

        var error = Record.Exception(() => new LeaseKeeper(table, default, clock));

        if (error is null)
        {
            var tickError = Record.Exception(() => clock.Advance(Heartbeat));
            Assert.Fail($"The constructor accepted default(Lease<string>); the first tick then threw: {tickError?.GetType().Name}: {tickError?.Message}");
        }

        Assert.Equal("lease", Assert.IsType<ArgumentException>(error).ParamName);
    }
}
