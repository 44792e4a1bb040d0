namespace Weaver;

/// <summary>
/// How often a failed task is tried again and how long to wait before each retry: exponential backoff with a cap,
/// plus jitter that only lengthens the wait so workers that failed together do not retry together.
/// </summary>
/// <remarks>
/// <para>The wait before attempt <c>n</c> (<c>n &gt;= 2</c>; attempt 1 is the first try and has no wait) is computed by
/// <see cref="DelayBeforeAttempt"/> from a random number <c>r</c> in [0, 1) that the caller supplies:</para>
/// <code>
/// base  = min(InitialDelay * Multiplier^(n - 2), MaxDelay)
/// delay = min(base + Jitter * base * r, MaxDelay)
/// </code>
/// <para>So with the defaults the bases are 1 s, 2 s, 4 s, 8 s, ... up to 300 s, and each wait lies in
/// [base, min(1.2 * base, 300 s)]. Because the caller supplies <c>r</c>, the computation is a pure function: the
/// same policy, attempt and <c>r</c> always give the same delay, and a retry schedule can be tested and replayed.</para>
/// </remarks>
public sealed record RetryPolicy
{
    /// <summary>The defaults: 5 attempts in all, waits of 1 s, 2 s, 4 s, 8 s (capped at 5 min), up to 20% longer.</summary>
    public static RetryPolicy Default { get; } = new();

    /// <summary>No retries: the first attempt is the only one.</summary>
    public static RetryPolicy None { get; } = new() { MaxAttempts = 1 };

    /// <summary>How many attempts a task gets in all, the first one included. At least 1. Default 5.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The wait before the first retry (attempt 2), before jitter. More than zero. Default 1 s.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How much longer each wait is than the one before, before the cap and jitter. A finite number of at least 1 (1
    /// means a constant wait). Default 2.
    /// </summary>
    public double Multiplier { get; init; } = 2.0;

    /// <summary>
    /// The longest wait, jitter included: no delay this policy computes is longer. At least
    /// <see cref="InitialDelay"/>. Default 5 min.
    /// </summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How much longer than the exponential base a wait may be, as a fraction of that base: a wait lies in
    /// [base, base * (1 + Jitter)] (and never above <see cref="MaxDelay"/>). Jitter only adds, so no retry comes
    /// sooner than its base. From 0 (no jitter) to 1. Default 0.2.
    /// </summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>Throws an <see cref="ArgumentException"/> that names the property, its value and what is allowed.</summary>
    /// <returns>This policy, for chaining.</returns>
    public RetryPolicy Validate()
    {
        if (MaxAttempts < 1)
        {
            throw new ArgumentException(
                $"MaxAttempts must be at least 1 (it counts the first attempt; 1 means no retries); it is {MaxAttempts}.",
                nameof(MaxAttempts));
        }

        if (InitialDelay <= TimeSpan.Zero)
        {
            throw new ArgumentException(
                $"InitialDelay must be more than zero; it is {InitialDelay}.", nameof(InitialDelay));
        }

        // Written so that NaN fails too: every comparison with NaN is false.
        if (!(Multiplier >= 1) || double.IsInfinity(Multiplier))
        {
            throw new ArgumentException(
                $"Multiplier must be a finite number of at least 1 (1 keeps the wait constant); it is {Multiplier}.",
                nameof(Multiplier));
        }

        if (MaxDelay < InitialDelay)
        {
            throw new ArgumentException(
                $"MaxDelay must be at least InitialDelay ({InitialDelay}); it is {MaxDelay}.", nameof(MaxDelay));
        }

        if (!(Jitter >= 0 && Jitter <= 1))
        {
            throw new ArgumentException(
                $"Jitter must be a fraction from 0 to 1 (0 means no jitter); it is {Jitter}.", nameof(Jitter));
        }

        return this;
    }

    /// <summary>Whether another attempt is allowed after <paramref name="attemptsMade"/> attempts.</summary>
    /// <param name="attemptsMade">How many attempts were made so far, the first one included; 0 or more.</param>
    /// <returns><see langword="true"/> while <paramref name="attemptsMade"/> is less than <see cref="MaxAttempts"/>.</returns>
    public bool HasAttemptsLeft(int attemptsMade)
    {
        if (attemptsMade < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(attemptsMade), attemptsMade, $"attemptsMade must be 0 or more; it is {attemptsMade}.");
        }

        return attemptsMade < MaxAttempts;
    }

    /// <summary>
    /// The wait before attempt <paramref name="attempt"/>: <c>base = min(InitialDelay * Multiplier^(attempt - 2),
    /// MaxDelay)</c>, then <c>min(base + Jitter * base * random, MaxDelay)</c>, to the tick (fractions of a tick are
    /// dropped). A pure function: it reads no clock and no random source.
    /// </summary>
    /// <remarks>
    /// Delays never decrease as <paramref name="attempt"/> grows (for the same <paramref name="random"/>), and very
    /// large attempt numbers give <see cref="MaxDelay"/> rather than overflowing. The attempt number is not checked
    /// against <see cref="MaxAttempts"/>: whether to retry at all is <see cref="HasAttemptsLeft"/>'s question.
    /// </remarks>
    /// <param name="attempt">The attempt about to be made: 2 for the first retry, 3 for the second, and so on.</param>
    /// <param name="random">A random number in [0, 1), such as <see cref="Random.NextDouble"/>; 0 gives the base delay.</param>
    /// <returns>How long to wait before making the attempt.</returns>
    /// <exception cref="ArgumentException">The policy is invalid (see <see cref="Validate"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempt"/> is below 2, or <paramref name="random"/> is outside [0, 1).</exception>
    public TimeSpan DelayBeforeAttempt(int attempt, double random)
    {
        if (attempt < 2)
        {
            throw new ArgumentOutOfRangeException(
                nameof(attempt), attempt, $"attempt must be 2 or more (attempt 1 is the first try, which has no delay); it is {attempt}.");
        }

        if (!(random >= 0 && random < 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(random), random, $"random must be in [0, 1), such as Random.NextDouble() returns; it is {random}.");
        }

        Validate();
        var maxTicks = MaxDelay.Ticks;

        // In doubles, so a large exponent gives infinity (then the cap) instead of wrapping around.
        var exact = InitialDelay.Ticks * Math.Pow(Multiplier, attempt - 2);
        var baseTicks = exact >= maxTicks ? maxTicks : (long)exact; // exact < maxTicks <= long.MaxValue here

        var extra = baseTicks * Jitter * random;
        var room = maxTicks - baseTicks; // no overflow: baseTicks <= maxTicks
        return TimeSpan.FromTicks(extra >= room ? maxTicks : baseTicks + (long)extra);
    }
}
