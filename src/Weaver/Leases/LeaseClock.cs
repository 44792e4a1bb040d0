namespace Weaver;

/// <summary>
/// The time a lease is judged by: whole milliseconds since the clock was made, never negative, read from a
/// <see cref="TimeProvider"/>'s monotonic timestamp (wall-clock changes do not move leases).
/// </summary>
/// <remarks>
/// Leases are kept to the millisecond, so with <see cref="TimeProvider.System"/> the clock reads the system's
/// millisecond tick count (<see cref="Environment.TickCount64"/>: on Linux the coarse monotonic clock, a few
/// nanoseconds) instead of its high-resolution timestamp (tens of nanoseconds on a virtual machine), which a claim
/// table otherwise reads on every claim, renewal and release (ADR 0026). Its resolution is the system's timer tick
/// (1 to 16 ms): a lease may be judged stale up to one tick early or late. Any other provider (a test's
/// <c>FakeTimeProvider</c>) is read as it is.
/// </remarks>
internal readonly struct LeaseClock
{
    private readonly TimeProvider? _provider;
    private readonly long _origin;
    private readonly long _ticksPerMillisecond;

    /// <summary>Starts the clock at zero now.</summary>
    /// <param name="time">Where the time comes from.</param>
    public LeaseClock(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        OriginUtc = time.GetUtcNow();
        if (ReferenceEquals(time, TimeProvider.System))
        {
            _origin = Environment.TickCount64;
            return;
        }

        _provider = time;
        _origin = time.GetTimestamp();
        _ticksPerMillisecond = time.TimestampFrequency % 1000 == 0 ? time.TimestampFrequency / 1000 : 0;
    }

    /// <summary>The wall-clock time when the clock read zero.</summary>
    public DateTimeOffset OriginUtc { get; }

    /// <summary>Milliseconds since the clock was made; never negative, even if a clock misbehaves.</summary>
    /// <returns>The time, in whole milliseconds.</returns>
    public long NowMs()
    {
        if (_provider is null)
        {
            return Math.Max(0, Environment.TickCount64 - _origin);
        }

        var elapsed = _provider.GetTimestamp() - _origin;
        if (elapsed <= 0)
        {
            return 0;
        }

        return _ticksPerMillisecond != 0
            ? elapsed / _ticksPerMillisecond
            : (long)_provider.GetElapsedTime(_origin).TotalMilliseconds;
    }

    /// <summary>The wall-clock time of a reading of this clock.</summary>
    /// <param name="ms">Milliseconds since the clock was made.</param>
    /// <returns>The time (UTC, or in the provider's offset).</returns>
    public DateTimeOffset ToUtc(long ms) => OriginUtc.AddTicks(ms * TimeSpan.TicksPerMillisecond);
}
