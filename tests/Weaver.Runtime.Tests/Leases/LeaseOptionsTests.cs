using Microsoft.Extensions.Time.Testing;

namespace Weaver.Runtime.Tests.Leases;

/// <summary><see cref="LeaseOptions.Validate"/>: every invalid timing is an <see cref="ArgumentException"/> that says what is allowed.</summary>
public sealed class LeaseOptionsTests
{
    [Fact]
    public void The_defaults_are_a_300_s_lease_a_60_s_heartbeat_and_2_missed_heartbeats()
    {
        var options = LeaseOptions.Default;

        Assert.Equal(TimeSpan.FromSeconds(300), options.LeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(60), options.HeartbeatInterval);
        Assert.Equal(2, options.StaleAfterMissedHeartbeats);
        Assert.Equal(TimeSpan.FromSeconds(420), options.StaleAfter);
        Assert.Same(options, options.Validate());
    }

    [Theory]
    [InlineData(10_000, 2_000, 3, 16_000)]
    [InlineData(10_000, 2_000, 0, 10_000)]
    [InlineData(2, 1, 1, 3)]
    [InlineData(60_000, 59_999, 1, 119_999)]
    public void StaleAfter_is_LeaseDuration_plus_missed_heartbeats_times_the_interval(long leaseMs, long heartbeatMs, int missed, long expectedMs)
    {
        var options = new LeaseOptions
        {
            LeaseDuration = TimeSpan.FromMilliseconds(leaseMs),
            HeartbeatInterval = TimeSpan.FromMilliseconds(heartbeatMs),
            StaleAfterMissedHeartbeats = missed,
        };

        Assert.Same(options, options.Validate());
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), options.StaleAfter);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-10_000_000)]
    [InlineData(9_999)] // 0.9999 ms: leases are kept to the millisecond
    [InlineData(long.MinValue)]
    public void A_LeaseDuration_under_1_ms_is_rejected(long ticks)
    {
        var options = new LeaseOptions { LeaseDuration = TimeSpan.FromTicks(ticks) };

        var error = AssertRejected(options, "LeaseDuration");
        Assert.StartsWith("LeaseDuration must be at least 1 ms (leases are kept to the millisecond); it is ", error.Message, StringComparison.Ordinal);
        Assert.Contains(TimeSpan.FromTicks(ticks).ToString(), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-600_000_000)]
    [InlineData(9_999)]
    [InlineData(3_000_000_000)] // = LeaseDuration (300 s)
    [InlineData(3_000_000_001)]
    [InlineData(36_000_000_000)]
    public void A_HeartbeatInterval_under_1_ms_or_not_shorter_than_LeaseDuration_is_rejected(long ticks)
    {
        var options = new LeaseOptions { HeartbeatInterval = TimeSpan.FromTicks(ticks) };

        var error = AssertRejected(options, "HeartbeatInterval");
        Assert.StartsWith("HeartbeatInterval must be at least 1 ms and shorter than LeaseDuration (00:05:00); it is ", error.Message, StringComparison.Ordinal);
        Assert.Contains(TimeSpan.FromTicks(ticks).ToString(), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Negative_missed_heartbeats_are_rejected(int missed)
    {
        var options = new LeaseOptions { StaleAfterMissedHeartbeats = missed };

        var error = AssertRejected(options, "StaleAfterMissedHeartbeats");
        Assert.StartsWith($"StaleAfterMissedHeartbeats must be 0 or more; it is {missed}.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_heartbeat_1_ms_shorter_than_the_lease_and_no_missed_heartbeats_are_allowed()
    {
        var options = new LeaseOptions
        {
            LeaseDuration = TimeSpan.FromSeconds(10),
            HeartbeatInterval = TimeSpan.FromSeconds(10) - TimeSpan.FromMilliseconds(1),
            StaleAfterMissedHeartbeats = 0,
        };

        Assert.Same(options, options.Validate());
        Assert.Equal(options, new ClaimTable<string>(options, new FakeTimeProvider()).Options);
    }

    [Fact]
    public void A_LeaseDuration_of_1_ms_leaves_no_valid_heartbeat_and_the_message_says_why()
    {
        var options = new LeaseOptions { LeaseDuration = TimeSpan.FromMilliseconds(1), HeartbeatInterval = TimeSpan.FromMilliseconds(1) };

        var error = AssertRejected(options, "HeartbeatInterval");
        Assert.Contains("shorter than LeaseDuration (00:00:00.0010000)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_StaleAfter_the_claim_table_cannot_count_is_rejected_by_Validate()
    {
        var options = new LeaseOptions { LeaseDuration = TimeSpan.FromDays(365 * 20) };

        var error = Record.Exception(() => options.Validate());

        // Today: Validate passes, and the first claim fails with a misleading error.
        if (error is null)
        {
            var table = new ClaimTable<string>(options, new FakeTimeProvider());
            var claimError = Record.Exception(() => table.TryClaim("task-1", "w1", out _));
            Assert.Fail($"Validate accepted StaleAfter = {options.StaleAfter}; the first claim then threw: {claimError?.GetType().Name}: {claimError?.Message}");
        }

        var argumentError = Assert.IsType<ArgumentException>(error);
        Assert.Contains("LeaseDuration", argumentError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_StaleAfter_that_overflows_TimeSpan_is_rejected_by_Validate()
    {
        var options = new LeaseOptions { LeaseDuration = TimeSpan.MaxValue, HeartbeatInterval = TimeSpan.FromDays(1) };

        var error = Record.Exception(() => options.Validate());
        var ctorError = Record.Exception(() => new ClaimTable<string>(options, new FakeTimeProvider()));

        Assert.IsType<ArgumentException>(error);
        Assert.IsType<ArgumentException>(ctorError);
    }

    private static ArgumentException AssertRejected(LeaseOptions options, string paramName)
    {
        var error = Assert.Throws<ArgumentException>(() => options.Validate());
        Assert.Equal(paramName, error.ParamName);

        // The table validates the options it is given, with the same error.
        var tableError = Assert.Throws<ArgumentException>(() => new ClaimTable<string>(options, new FakeTimeProvider()));
        Assert.Equal(error.Message, tableError.Message);
        return error;
    }
}
