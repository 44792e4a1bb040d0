using System.Numerics;
using CsCheck;

namespace Weaver.Runtime.Tests.Retries;

/// <summary>
/// Properties of <see cref="RetryPolicy.DelayBeforeAttempt"/> over random valid policies, attempt numbers (small ones
/// and ones large enough to overflow a naive power) and random numbers in [0, 1).
/// </summary>
public sealed class RetryPolicyPropertyTests
{
    private static readonly Gen<TimeSpan> Initial = Gen.OneOf(
        Gen.Long[1, 1_000].Select(TimeSpan.FromTicks),
        Gen.Long[1, TimeSpan.TicksPerHour].Select(TimeSpan.FromTicks));

    /// <summary>Valid policies, including caps as large as <see cref="TimeSpan.MaxValue"/>.</summary>
    private static readonly Gen<RetryPolicy> ValidPolicy =
        Gen.Select(
                Gen.Int[1, 20],
                Initial,
                Gen.OneOf(Gen.Const(1.0), Gen.Double[1, 10]),
                Gen.OneOf(Gen.Const(0L), Gen.Long[0, TimeSpan.TicksPerDay], Gen.Const(long.MaxValue)),
                Gen.OneOf(Gen.Const(0.0), Gen.Const(1.0), Gen.Double[0, 1]))
            .Select((attempts, initial, multiplier, headroom, jitter) => new RetryPolicy
            {
                MaxAttempts = attempts,
                InitialDelay = initial,
                Multiplier = multiplier,
                MaxDelay = TimeSpan.FromTicks(headroom > long.MaxValue - initial.Ticks ? long.MaxValue : initial.Ticks + headroom),
                Jitter = jitter,
            });

    private static readonly Gen<int> Attempt = Gen.OneOf(Gen.Int[2, 40], Gen.Int[2, 2_000], Gen.Int[2, int.MaxValue]);

    private static readonly Gen<double> Random01 = Gen.OneOf(Gen.Const(0.0), Gen.Double.Unit, Gen.Const(BitDecrement(1.0)));

    [Fact]
    public void Generated_policies_are_valid()
    {
        ValidPolicy.Sample(policy => policy.Validate() == policy);
    }

    [Fact]
    public void For_a_fixed_random_number_delays_never_decrease_as_attempts_grow()
    {
        Gen.Select(ValidPolicy, Attempt, Gen.Int[0, 64], Random01).Sample((policy, attempt, step, random) =>
        {
            var later = (int)Math.Min((long)attempt + step, int.MaxValue);
            return policy.DelayBeforeAttempt(attempt, random) <= policy.DelayBeforeAttempt(later, random);
        });
    }

    [Fact]
    public void Delays_never_exceed_the_cap()
    {
        Gen.Select(ValidPolicy, Attempt, Random01).Sample((policy, attempt, random) =>
        {
            var delay = policy.DelayBeforeAttempt(attempt, random);
            return delay <= policy.MaxDelay && delay >= TimeSpan.Zero;
        });
    }

    [Fact]
    public void Jitter_only_adds_and_by_at_most_its_fraction_of_the_base()
    {
        Gen.Select(ValidPolicy, Attempt, Random01).Sample((policy, attempt, random) =>
        {
            var baseDelay = (policy with { Jitter = 0 }).DelayBeforeAttempt(attempt, 0);
            var delay = policy.DelayBeforeAttempt(attempt, random);
            var upper = Math.Min(baseDelay.Ticks * (1 + policy.Jitter), policy.MaxDelay.Ticks);
            return delay >= baseDelay && delay.Ticks <= upper;
        });
    }

    [Fact]
    public void Random_zero_gives_the_base_whatever_the_jitter()
    {
        Gen.Select(ValidPolicy, Attempt).Sample((policy, attempt) =>
            policy.DelayBeforeAttempt(attempt, 0) == (policy with { Jitter = 0 }).DelayBeforeAttempt(attempt, 0.5));
    }

    [Fact]
    public void Without_jitter_the_delay_is_exactly_the_capped_exponential_base()
    {
        // Whole multipliers and tick counts, so the base is an exact integer computed here without floating point.
        Gen.Select(Gen.Long[1, TimeSpan.TicksPerMinute], Gen.Int[1, 4], Gen.Long[0, TimeSpan.TicksPerDay], Gen.Int[2, 200], Gen.Double.Unit)
            .Sample((initialTicks, multiplier, headroom, attempt, random) =>
            {
                var policy = new RetryPolicy
                {
                    InitialDelay = TimeSpan.FromTicks(initialTicks),
                    Multiplier = multiplier,
                    MaxDelay = TimeSpan.FromTicks(initialTicks + headroom),
                    Jitter = 0,
                };
                var exact = initialTicks * BigInteger.Pow(multiplier, attempt - 2);
                var expected = BigInteger.Min(exact, policy.MaxDelay.Ticks);
                return policy.DelayBeforeAttempt(attempt, random).Ticks == expected;
            });
    }

    [Fact]
    public void Attempts_are_left_exactly_while_fewer_than_max_attempts_were_made()
    {
        Gen.Select(ValidPolicy, Gen.Int[0, 40]).Sample((policy, made) => policy.HasAttemptsLeft(made) == (made < policy.MaxAttempts));
    }

    [Fact]
    public void Invalid_policies_throw_naming_the_property_and_its_value()
    {
        var invalid = Gen.OneOf(
            Gen.Int[int.MinValue, 0].Select(v => (RetryPolicy.Default with { MaxAttempts = v }, nameof(RetryPolicy.MaxAttempts), $"{v}")),
            Gen.Long[long.MinValue, 0].Select(v =>
                (RetryPolicy.Default with { InitialDelay = TimeSpan.FromTicks(v) }, nameof(RetryPolicy.InitialDelay), $"{TimeSpan.FromTicks(v)}")),
            Gen.OneOf(Gen.Double[-10, 0.999_999], Gen.Const(double.NaN), Gen.Const(double.PositiveInfinity), Gen.Const(double.NegativeInfinity))
                .Select(v => (RetryPolicy.Default with { Multiplier = v }, nameof(RetryPolicy.Multiplier), $"{v}")),
            Gen.Long[1, TimeSpan.TicksPerSecond - 1].Select(v =>
                (RetryPolicy.Default with { MaxDelay = TimeSpan.FromTicks(v) }, nameof(RetryPolicy.MaxDelay), $"{TimeSpan.FromTicks(v)}")),
            Gen.OneOf(Gen.Double[-10, -1e-9], Gen.Double[1 + 1e-9, 10], Gen.Const(double.NaN), Gen.Const(double.PositiveInfinity))
                .Select(v => (RetryPolicy.Default with { Jitter = v }, nameof(RetryPolicy.Jitter), $"{v}")));

        invalid.Sample(t =>
        {
            var (policy, property, value) = t;
            var validate = Assert.Throws<ArgumentException>(() => policy.Validate());
            var delay = Assert.Throws<ArgumentException>(() => policy.DelayBeforeAttempt(2, 0));
            foreach (var error in new[] { validate, delay })
            {
                Assert.Equal(property, error.ParamName);
                Assert.StartsWith($"{property} must be", error.Message, StringComparison.Ordinal);
                Assert.Contains($"it is {value}.", error.Message, StringComparison.Ordinal);
            }
        });
    }

    [Fact]
    public void Invalid_arguments_throw_naming_the_argument_and_its_value()
    {
        Gen.Select(ValidPolicy, Gen.Int[int.MinValue, 1]).Sample((policy, attempt) =>
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => policy.DelayBeforeAttempt(attempt, 0));
            Assert.Equal("attempt", error.ParamName);
            Assert.Contains($"it is {attempt}.", error.Message, StringComparison.Ordinal);
        });

        var outside = Gen.OneOf(
            Gen.Double[-1e6, -double.Epsilon],
            Gen.Double[1, 1e6],
            Gen.Const(double.NaN),
            Gen.Const(double.PositiveInfinity),
            Gen.Const(double.NegativeInfinity));
        Gen.Select(ValidPolicy, outside).Sample((policy, random) =>
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => policy.DelayBeforeAttempt(2, random));
            Assert.Equal("random", error.ParamName);
            Assert.Contains($"it is {random}.", error.Message, StringComparison.Ordinal);
        });
    }

    private static double BitDecrement(double value) => Math.BitDecrement(value);
}
