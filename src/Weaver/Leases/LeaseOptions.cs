namespace Weaver;

/// <summary>
/// How long a lease lasts and when it counts as stale. A lease is stale when
/// <c>now - lastHeartbeat &gt; LeaseDuration + StaleAfterMissedHeartbeats * HeartbeatInterval</c> (see
/// <see cref="StaleAfter"/>); at exactly that threshold it is still live.
/// </summary>
public sealed record LeaseOptions
{
    /// <summary>The defaults: a 300 s lease, a heartbeat every 60 s, stale after 2 missed heartbeats (420 s in all).</summary>
    public static LeaseOptions Default { get; } = new();

    /// <summary>How long a lease lasts after its last heartbeat before missed heartbeats are counted. Default 300 s.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>How often the holder renews the lease. Must be shorter than <see cref="LeaseDuration"/>. Default 60 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How many heartbeats may be missed after <see cref="LeaseDuration"/> before the lease is stale. Default 2.</summary>
    public int StaleAfterMissedHeartbeats { get; init; } = 2;

    /// <summary>The longest <see cref="StaleAfter"/> allowed: one year (a claim table counts lease time for 17 years).</summary>
    public static TimeSpan MaxStaleAfter { get; } = TimeSpan.FromDays(365);

    /// <summary>The time after the last heartbeat at which a lease becomes stale (one millisecond after it, to be exact).</summary>
    public TimeSpan StaleAfter => LeaseDuration + (HeartbeatInterval * StaleAfterMissedHeartbeats);

    /// <summary>Throws an <see cref="ArgumentException"/> that says what is wrong and what is allowed.</summary>
    /// <returns>These options, for chaining.</returns>
    public LeaseOptions Validate()
    {
        if (LeaseDuration < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentException(
                $"LeaseDuration must be at least 1 ms (leases are kept to the millisecond); it is {LeaseDuration}.", nameof(LeaseDuration));
        }

        if (HeartbeatInterval < TimeSpan.FromMilliseconds(1) || HeartbeatInterval >= LeaseDuration)
        {
            throw new ArgumentException(
                $"HeartbeatInterval must be at least 1 ms and shorter than LeaseDuration ({LeaseDuration}); it is {HeartbeatInterval}.",
                nameof(HeartbeatInterval));
        }

        if (StaleAfterMissedHeartbeats < 0)
        {
            throw new ArgumentException(
                $"StaleAfterMissedHeartbeats must be 0 or more; it is {StaleAfterMissedHeartbeats}.", nameof(StaleAfterMissedHeartbeats));
        }

        // Compare in ticks as decimal, so that a sum beyond TimeSpan's range is reported, not an OverflowException.
        var staleAfterTicks = LeaseDuration.Ticks + ((decimal)HeartbeatInterval.Ticks * StaleAfterMissedHeartbeats);
        if (staleAfterTicks > MaxStaleAfter.Ticks)
        {
            throw new ArgumentException(
                $"LeaseDuration + HeartbeatInterval × StaleAfterMissedHeartbeats (the time until a lease is stale) must be at most {MaxStaleAfter}; "
                + $"LeaseDuration is {LeaseDuration}, HeartbeatInterval {HeartbeatInterval}, StaleAfterMissedHeartbeats {StaleAfterMissedHeartbeats}.",
                nameof(LeaseDuration));
        }

        return this;
    }
}
