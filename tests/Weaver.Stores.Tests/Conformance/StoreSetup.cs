using Microsoft.Extensions.Time.Testing;

namespace Weaver.Stores.Tests.Conformance;

/// <summary>What a conformance test asks of a fresh store.</summary>
/// <param name="Time">The clock the store judges leases by.</param>
/// <param name="Leases">The lease timing.</param>
/// <param name="Kinds">The task kinds the test creates (the in-memory engine runs only kinds it has handlers for).</param>
public sealed record StoreSetup(FakeTimeProvider Time, LeaseOptions Leases, IReadOnlyList<string> Kinds)
{
    /// <summary>The jitter every store of the suite uses unless a test pins another: a fixed point in [0, 1).</summary>
    public const double DefaultJitter = 0.5;

    /// <summary>The kinds most tests use.</summary>
    public static IReadOnlyList<string> DefaultKinds { get; } = ["echo", "other"];

    /// <summary>
    /// Where the store takes its retry jitter from (the <c>jitter</c> of <see cref="TaskEvents.Failed"/>): a function
    /// returning a number in [0, 1). Pinned, so a retry's due time is exact; every provider must use it.
    /// </summary>
    public Func<double> JitterSource { get; init; } = static () => DefaultJitter;

    /// <summary>
    /// Where the store logs (a row it cannot read is logged as a warning that names it); every provider that logs must
    /// log here.
    /// </summary>
    public RecordingLoggers Logs { get; init; } = new();

    /// <summary>A setup with a fake clock at a fixed UTC instant, short leases and the default kinds.</summary>
    /// <returns>The setup.</returns>
    public static StoreSetup Default() => new(
        new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero)),
        new LeaseOptions { LeaseDuration = TimeSpan.FromSeconds(10), HeartbeatInterval = TimeSpan.FromSeconds(2), StaleAfterMissedHeartbeats = 2 },
        DefaultKinds);
}
