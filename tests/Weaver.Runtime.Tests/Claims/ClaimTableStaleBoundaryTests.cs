using Microsoft.Extensions.Time.Testing;
using static Weaver.Runtime.Tests.Claims.ClaimTableKit;

namespace Weaver.Runtime.Tests.Claims;

/// <summary>
/// The stale boundary, to the millisecond: a lease is live while <c>now - lastHeartbeat &lt;= StaleAfter</c> and stale
/// one millisecond later.
/// </summary>
public sealed class ClaimTableStaleBoundaryTests
{
    public static TheoryData<string> Timings => ["default", "custom", "no-missed-heartbeats", "smallest"];

    [Fact]
    public void The_default_timing_is_stale_after_420_seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(420), LeaseOptions.Default.StaleAfter);
        Assert.Equal(TimeSpan.FromSeconds(420), Options("default").StaleAfter);
    }

    [Theory]
    [InlineData("custom", 16_000)]
    [InlineData("no-missed-heartbeats", 5)]
    [InlineData("smallest", 3)]
    public void Custom_timings_are_stale_after_LeaseDuration_plus_missed_heartbeats(string timing, long expectedMs) =>
        Assert.Equal(Ms(expectedMs), Options(timing).StaleAfter);

    [Theory]
    [MemberData(nameof(Timings))]
    public void Exactly_at_StaleAfter_a_claim_conflicts(string timing)
    {
        var (clock, table, lease) = ClaimedAtStart(timing);
        clock.Advance(table.Options.StaleAfter);

        Assert.True(table.TryGetHolder("task-1", out var holder));
        Assert.Equal(lease, holder);
        Assert.Equal(lease.ExpiresAt, clock.GetUtcNow()); // the lease is live up to and including ExpiresAt
        Assert.False(table.TryClaim("task-1", "w2", out var conflict));
        Assert.Equal(lease, conflict);
        Assert.True(table.IsCurrent(lease));
        Assert.Empty(table.StaleLeases());
        Assert.False(table.TryExpire("task-1", out _));
        Assert.Equal(1, table.LatestEpoch("task-1"));
    }

    [Theory]
    [MemberData(nameof(Timings))]
    public void Exactly_at_StaleAfter_the_holder_can_renew(string timing)
    {
        var (clock, table, lease) = ClaimedAtStart(timing);
        clock.Advance(table.Options.StaleAfter);

        Assert.True(table.TryRenew(lease, out var renewed));
        Assert.Equal(clock.GetUtcNow() + table.Options.StaleAfter, renewed.ExpiresAt);
    }

    [Theory]
    [MemberData(nameof(Timings))]
    public void Exactly_at_StaleAfter_the_holder_can_release(string timing)
    {
        var (clock, table, lease) = ClaimedAtStart(timing);
        clock.Advance(table.Options.StaleAfter);

        Assert.True(table.TryRelease(lease));
        Assert.True(table.TryClaim("task-1", "w2", out var next));
        Assert.Equal(2, next.Epoch);
    }

    [Theory]
    [MemberData(nameof(Timings))]
    public void One_ms_before_StaleAfter_the_lease_is_live(string timing)
    {
        var (clock, table, lease) = ClaimedAtStart(timing);
        clock.Advance(table.Options.StaleAfter - Ms(1));

        Assert.False(table.TryClaim("task-1", "w2", out var conflict));
        Assert.Equal(lease, conflict);
        Assert.False(table.TryExpire("task-1", out _));
        Assert.True(table.TryRenew(lease, out var renewed));
        Assert.Equal(clock.GetUtcNow() + table.Options.StaleAfter, renewed.ExpiresAt);
    }

    [Theory]
    [MemberData(nameof(Timings))]
    public void One_ms_after_StaleAfter_the_lease_is_stale_renew_fails_and_a_claim_takes_it_over(string timing)
    {
        var (clock, table, lease) = ClaimedAtStart(timing);
        clock.Advance(table.Options.StaleAfter + Ms(1));

        Assert.False(table.TryGetHolder("task-1", out _));
        Assert.False(table.IsCurrent(lease));
        Assert.Equal([lease], table.StaleLeases());
        Assert.False(table.TryRenew(lease, out _));
        Assert.False(table.TryRelease(lease));
        Assert.Equal([lease], table.StaleLeases()); // the failed renew and release changed nothing

        Assert.True(table.TryClaim("task-1", "w2", out var taken));
        Assert.Equal(new Lease<string>("task-1", "w2", 2, clock.GetUtcNow() + table.Options.StaleAfter), taken);
        Assert.False(table.TryRenew(lease, out _));
    }

    [Theory]
    [MemberData(nameof(Timings))]
    public void One_ms_after_StaleAfter_the_sweeper_can_expire_it(string timing)
    {
        var (clock, table, lease) = ClaimedAtStart(timing);
        clock.Advance(table.Options.StaleAfter + Ms(1));

        Assert.True(table.TryExpire("task-1", out var expired));
        Assert.Equal(lease, expired);
    }

    [Theory]
    [MemberData(nameof(Timings))]
    public void After_a_renewal_the_boundary_counts_from_the_renewal(string timing)
    {
        var (clock, table, lease) = ClaimedAtStart(timing);
        var heartbeat = table.Options.HeartbeatInterval;
        clock.Advance(heartbeat);
        Assert.True(table.TryRenew(lease, out var renewed));

        clock.Advance(table.Options.StaleAfter); // heartbeat + StaleAfter after the claim: past the claim's own expiry
        Assert.True(table.IsCurrent(renewed));
        Assert.False(table.TryClaim("task-1", "w2", out _));

        clock.Advance(Ms(1));
        Assert.False(table.IsCurrent(renewed));
        Assert.True(table.TryClaim("task-1", "w2", out var taken));
        Assert.Equal(2, taken.Epoch);
    }

    [Fact]
    public void A_table_created_after_the_clock_moved_measures_from_its_own_creation()
    {
        var clock = new FakeTimeProvider(Start);
        clock.Advance(TimeSpan.FromDays(3));
        var table = new ClaimTable<string>(Options("custom"), clock);
        clock.Advance(Ms(250));
        Assert.True(table.TryClaim("task-1", "w1", out var lease));
        Assert.Equal(clock.GetUtcNow() + Ms(16_000), lease.ExpiresAt);

        clock.Advance(Ms(16_000));
        Assert.True(table.IsCurrent(lease));
        clock.Advance(Ms(1));
        Assert.False(table.IsCurrent(lease));
    }

    private static LeaseOptions Options(string timing) => timing switch
    {
        "default" => LeaseOptions.Default,
        "custom" => new LeaseOptions { LeaseDuration = TimeSpan.FromSeconds(10), HeartbeatInterval = TimeSpan.FromSeconds(2), StaleAfterMissedHeartbeats = 3 },
        "no-missed-heartbeats" => new LeaseOptions { LeaseDuration = Ms(5), HeartbeatInterval = Ms(1), StaleAfterMissedHeartbeats = 0 },
        "smallest" => new LeaseOptions { LeaseDuration = Ms(2), HeartbeatInterval = Ms(1), StaleAfterMissedHeartbeats = 1 },
        _ => throw new ArgumentOutOfRangeException(nameof(timing), timing, "unknown timing"),
    };

    private static (FakeTimeProvider Clock, ClaimTable<string> Table, Lease<string> Lease) ClaimedAtStart(string timing)
    {
        var clock = new FakeTimeProvider(Start);
        var table = new ClaimTable<string>(Options(timing), clock);
        clock.Advance(Ms(37)); // not at the table's origin
        Assert.True(table.TryClaim("task-1", "w1", out var lease));
        Assert.Equal(clock.GetUtcNow() + table.Options.StaleAfter, lease.ExpiresAt);
        return (clock, table, lease);
    }
}
