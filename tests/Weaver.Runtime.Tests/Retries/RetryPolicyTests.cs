namespace Weaver.Runtime.Tests.Retries;

public sealed class RetryPolicyTests
{
    [Fact]
    public void Defaults_are_five_attempts_one_second_doubling_capped_at_five_minutes_with_twenty_percent_jitter()
    {
        var policy = RetryPolicy.Default;

        Assert.Equal(5, policy.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), policy.InitialDelay);
        Assert.Equal(2.0, policy.Multiplier);
        Assert.Equal(TimeSpan.FromMinutes(5), policy.MaxDelay);
        Assert.Equal(0.2, policy.Jitter);
        Assert.Same(policy, policy.Validate());
        Assert.Equal(policy, new RetryPolicy());
    }

    [Fact]
    public void Default_delays_double_from_one_second_until_the_five_minute_cap()
    {
        int[] expectedSeconds = [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300];

        for (var i = 0; i < expectedSeconds.Length; i++)
        {
            Assert.Equal(TimeSpan.FromSeconds(expectedSeconds[i]), RetryPolicy.Default.DelayBeforeAttempt(attempt: i + 2, random: 0));
        }
    }

    [Theory]
    [InlineData(2, 0.5, 1_100)] // 1 s + 0.2 * 1 s * 0.5
    [InlineData(3, 0.5, 2_200)]
    [InlineData(4, 0.25, 4_200)]
    [InlineData(10, 0.5, 281_600)] // 256 s * 1.1
    [InlineData(10, 0.99, 300_000)] // 256 s * 1.198 is above the cap
    [InlineData(11, 0.99, 300_000)] // the base is already the cap; jitter cannot exceed it
    public void Jitter_lengthens_the_wait_by_at_most_its_fraction_and_never_past_the_cap(int attempt, double random, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), RetryPolicy.Default.DelayBeforeAttempt(attempt, random));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(1_000_000)]
    [InlineData(int.MaxValue)]
    public void Huge_attempt_numbers_give_the_cap_instead_of_overflowing(int attempt)
    {
        Assert.Equal(TimeSpan.FromMinutes(5), RetryPolicy.Default.DelayBeforeAttempt(attempt, 0.7));

        var unbounded = RetryPolicy.Default with { MaxDelay = TimeSpan.MaxValue, Jitter = 1 };
        Assert.Equal(TimeSpan.MaxValue, unbounded.DelayBeforeAttempt(attempt, 0.999));
    }

    [Fact]
    public void None_allows_only_the_first_attempt()
    {
        Assert.Equal(1, RetryPolicy.None.MaxAttempts);
        Assert.True(RetryPolicy.None.HasAttemptsLeft(0));
        Assert.False(RetryPolicy.None.HasAttemptsLeft(1));
        Assert.Same(RetryPolicy.None, RetryPolicy.None.Validate());
    }

    [Fact]
    public void Attempts_are_left_until_max_attempts_were_made()
    {
        for (var made = 0; made < 5; made++)
        {
            Assert.True(RetryPolicy.Default.HasAttemptsLeft(made));
        }

        Assert.False(RetryPolicy.Default.HasAttemptsLeft(5));
        Assert.False(RetryPolicy.Default.HasAttemptsLeft(6));
        Assert.False(RetryPolicy.Default.HasAttemptsLeft(int.MaxValue));
    }

    [Fact]
    public void A_negative_attempt_count_is_rejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.Default.HasAttemptsLeft(-1));
        Assert.Equal("attemptsMade", error.ParamName);
        Assert.Contains("0 or more", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(int.MinValue)]
    public void The_first_attempt_has_no_delay_to_ask_for(int attempt)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.Default.DelayBeforeAttempt(attempt, 0));
        Assert.Equal("attempt", error.ParamName);
        Assert.Contains("2 or more", error.Message, StringComparison.Ordinal);
        Assert.Contains($"it is {attempt}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void The_random_number_must_be_in_zero_inclusive_to_one_exclusive(double random)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.Default.DelayBeforeAttempt(2, random));
        Assert.Equal("random", error.ParamName);
        Assert.Contains("[0, 1)", error.Message, StringComparison.Ordinal);
        Assert.Contains($"it is {random}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_policy_is_reported_when_a_delay_is_asked_of_it()
    {
        var policy = RetryPolicy.Default with { Multiplier = 0.5 };

        var error = Assert.Throws<ArgumentException>(() => policy.DelayBeforeAttempt(2, 0));
        Assert.Equal(nameof(RetryPolicy.Multiplier), error.ParamName);
    }

    [Fact]
    public void Each_rule_names_its_property_its_value_and_what_is_allowed()
    {
        AssertInvalid(RetryPolicy.Default with { MaxAttempts = 0 }, nameof(RetryPolicy.MaxAttempts), "at least 1", "it is 0");
        AssertInvalid(RetryPolicy.Default with { InitialDelay = TimeSpan.Zero }, nameof(RetryPolicy.InitialDelay), "more than zero", "it is 00:00:00");
        AssertInvalid(RetryPolicy.Default with { Multiplier = 0.9 }, nameof(RetryPolicy.Multiplier), "at least 1", $"it is {0.9}");
        AssertInvalid(RetryPolicy.Default with { Multiplier = double.NaN }, nameof(RetryPolicy.Multiplier), "finite number", $"it is {double.NaN}");
        AssertInvalid(
            RetryPolicy.Default with { MaxDelay = TimeSpan.FromMilliseconds(999) },
            nameof(RetryPolicy.MaxDelay),
            "at least InitialDelay (00:00:01)",
            "it is 00:00:00.9990000");
        AssertInvalid(RetryPolicy.Default with { Jitter = 1.5 }, nameof(RetryPolicy.Jitter), "from 0 to 1", $"it is {1.5}");
        AssertInvalid(RetryPolicy.Default with { Jitter = -0.1 }, nameof(RetryPolicy.Jitter), "from 0 to 1", $"it is {-0.1}");
    }

    private static void AssertInvalid(RetryPolicy policy, string property, string allowed, string actual)
    {
        var error = Assert.Throws<ArgumentException>(() => policy.Validate());
        Assert.Equal(property, error.ParamName);
        Assert.StartsWith($"{property} must be", error.Message, StringComparison.Ordinal);
        Assert.Contains(allowed, error.Message, StringComparison.Ordinal);
        Assert.Contains(actual, error.Message, StringComparison.Ordinal);
    }
}
