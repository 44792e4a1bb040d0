using System.Threading.Channels;

namespace Weaver;

/// <summary>
/// Where a <see cref="WorkerGroup"/> takes its attempts from and commits them to: the in-process engine
/// (<see cref="EngineAttemptSource"/>) or any <see cref="IWeaverStore"/> (<see cref="StoreAttemptSource"/>). The group's
/// loop, heartbeats, handler invocation and shutdown are written once, against this.
/// </summary>
internal interface IAttemptSource
{
    /// <summary>The handlers the group runs.</summary>
    HandlerRegistry Handlers { get; }

    /// <summary>The clock of heartbeats, sweeps and the shutdown grace period.</summary>
    TimeProvider TimeProvider { get; }

    /// <summary>How often leases are renewed; the default sweep interval too.</summary>
    TimeSpan HeartbeatInterval { get; }

    /// <summary>Ended tasks whose handlers have outcome methods; null when this source does not report them.</summary>
    ChannelReader<TaskSnapshot>? EndedWithOutcomes { get; }

    /// <summary>Waits for a runnable task and claims it for <paramref name="owner"/>.</summary>
    /// <param name="owner">The worker.</param>
    /// <param name="cancellationToken">Stops waiting (the group stops taking attempts).</param>
    /// <returns>The started attempt; null when the source closed and nothing more will come.</returns>
    ValueTask<ClaimedAttempt?> NextAsync(string owner, CancellationToken cancellationToken);

    /// <summary>Takes back stale attempts (on the group's sweep timer); never throws.</summary>
    void Sweep();
}
