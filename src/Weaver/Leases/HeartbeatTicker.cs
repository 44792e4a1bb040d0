namespace Weaver;

/// <summary>
/// One timer for the heartbeats of every attempt a worker group runs, instead of a timer per attempt: each worker has a
/// slot, holds its running attempt's <see cref="LeaseKeeper"/> there, and every tick renews each kept lease (ADR 0026).
/// </summary>
/// <remarks>
/// Creating and disposing a timer takes the runtime's timer-queue lock, which workers on other cores contend for; a slot
/// is one write. A lease kept here is renewed at most one interval after it was taken and every interval after that, as
/// with a timer of its own; only its first renewal may come sooner.
/// </remarks>
internal sealed class HeartbeatTicker : IDisposable
{
    private readonly LeaseKeeper?[] _slots;
    private readonly ITimer _timer;

    /// <summary>Starts ticking.</summary>
    /// <param name="slots">How many leases may be kept at once: one per worker.</param>
    /// <param name="timeProvider">The clock that drives heartbeats.</param>
    /// <param name="interval">How often to renew.</param>
    public HeartbeatTicker(int slots, TimeProvider timeProvider, TimeSpan interval)
    {
        _slots = new LeaseKeeper?[slots];
        _timer = timeProvider.CreateTimer(static state => ((HeartbeatTicker)state!).Tick(), this, interval, interval);
    }

    /// <summary>Renews <paramref name="keeper"/>'s lease on every tick from now on, in place of what <paramref name="slot"/> held.</summary>
    /// <param name="slot">The worker's slot.</param>
    /// <param name="keeper">The keeper of the worker's running attempt.</param>
    public void Keep(int slot, LeaseKeeper keeper) => Volatile.Write(ref _slots[slot], keeper);

    /// <summary>Stops renewing what <paramref name="slot"/> holds.</summary>
    /// <param name="slot">The worker's slot.</param>
    public void Forget(int slot) => Volatile.Write(ref _slots[slot], null);

    /// <summary>Stops the timer; leases kept here are no longer renewed.</summary>
    public void Dispose() => _timer.Dispose();

    private void Tick()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            Volatile.Read(ref _slots[i])?.Tick();
        }
    }
}
