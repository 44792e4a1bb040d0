using Microsoft.Extensions.Time.Testing;
using static Weaver.Runtime.Tests.Claims.ClaimTableKit;

namespace Weaver.Runtime.Tests.Claims;

/// <summary>
/// The clock a claim table judges leases by: any <see cref="TimeProvider"/>'s timestamps, whatever their frequency, and
/// the system's millisecond tick count when the provider is <see cref="TimeProvider.System"/> (ADR 0026).
/// </summary>
public sealed class ClaimTableClockTests
{
    [Fact]
    public void A_provider_whose_frequency_is_not_a_multiple_of_1000_still_counts_milliseconds()
    {
        var clock = new OddFrequencyClock(Start);
        var table = new ClaimTable<string>(null, clock);
        Assert.True(table.TryClaim("task", "w1", out var lease));
        Assert.Equal(Start + LeaseOptions.Default.StaleAfter, lease.ExpiresAt);

        // The clock's own tick is 1/1,024 s, so a millisecond reads as 0 or 1 of them: step by 2 ms past the expiry.
        var staleAfter = LeaseOptions.Default.StaleAfter;
        clock.Advance(staleAfter);
        Assert.True(table.IsCurrent(lease), "live up to and including its expiry");
        clock.Advance(Ms(2));
        Assert.False(table.IsCurrent(lease));
        Assert.True(table.TryClaim("task", "w2", out var takeover));
        Assert.Equal(2, takeover.Epoch);
        Assert.InRange(takeover.ExpiresAt, Start + staleAfter + Ms(1) + staleAfter, Start + staleAfter + Ms(2) + staleAfter);
    }

    [Fact]
    public void On_the_system_clock_a_lease_expires_StaleAfter_from_now_to_within_the_system_tick()
    {
        var before = TimeProvider.System.GetUtcNow();
        var table = new ClaimTable<string>();
        Assert.True(table.TryClaim("task", "w1", out var lease));
        var after = TimeProvider.System.GetUtcNow();

        // The table's origin (a wall-clock read, then a tick read) and the claim both fall between the two reads, so a
        // thread paused anywhere in between can move the expiry by at most that span; the coarse tick count adds up to
        // one system tick (1 to 16 ms), and the bound allows a little more.
        var staleAfter = LeaseOptions.Default.StaleAfter;
        Assert.InRange(lease.ExpiresAt, before + staleAfter - Ms(50), after + (after - before) + staleAfter + Ms(50));
        Assert.True(table.IsCurrent(lease));
        Assert.True(table.TryRenew(lease, out var renewed));
        Assert.True(renewed.ExpiresAt >= lease.ExpiresAt, "the clock never runs backwards");
        Assert.True(table.TryRelease(renewed));
    }

    [Fact]
    public void A_clock_that_runs_back_before_the_table_was_made_counts_as_its_start()
    {
        var clock = new SettableTimestampClock(Start);
        var table = new ClaimTable<string>(null, clock);
        clock.Timestamp -= 5 * clock.TimestampFrequency; // five seconds before the table's origin

        // A negative time would corrupt the claim word's epoch bits; the table reads it as its start instead.
        Assert.True(table.TryClaim("task", "w1", out var lease));
        Assert.Equal((1L, Start + LeaseOptions.Default.StaleAfter), (lease.Epoch, lease.ExpiresAt));
        Assert.Equal(1, table.LatestEpoch("task"));
        Assert.True(table.TryRelease(lease));
    }

    /// <summary>A fake clock whose timestamps tick 1,024 times a second, as some platforms' counters do.</summary>
    private sealed class OddFrequencyClock(DateTimeOffset start) : TimeProvider
    {
        private readonly FakeTimeProvider _inner = new(start);

        public override long TimestampFrequency => 1024;

        public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow();

        public override long GetTimestamp() => (long)Math.Round((_inner.GetUtcNow() - start).Ticks * 1024.0 / TimeSpan.TicksPerSecond);

        public void Advance(TimeSpan by) => _inner.Advance(by);
    }

    /// <summary>A clock whose monotonic timestamp a test sets, even backwards, as a misbehaving platform clock might.</summary>
    private sealed class SettableTimestampClock(DateTimeOffset now) : TimeProvider
    {
        public long Timestamp { get; set; } = 1_000_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override DateTimeOffset GetUtcNow() => now;

        public override long GetTimestamp() => Timestamp;
    }
}
