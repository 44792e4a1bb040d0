namespace AgentFleet.Agents;

/// <summary>
/// The system clock, except that its timers can be frozen: while frozen, no timer fires, so a worker group on this clock
/// stops heartbeating and its handler's delays stop where they are, as they would in a process paused by a long GC or
/// SIGSTOP. Time itself goes on. On <see cref="Thaw"/>, every timer that came due meanwhile fires once, late.
/// </summary>
public sealed class PausableClock : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<PausableTimer> _due = [];
    private bool _frozen;

    /// <summary>Whether the clock's timers are frozen.</summary>
    public bool IsFrozen
    {
        get
        {
            lock (_gate)
            {
                return _frozen;
            }
        }
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new PausableTimer(this, callback, state, dueTime, period);

    /// <summary>Stops every timer from firing until <see cref="Thaw"/>.</summary>
    public void Freeze()
    {
        lock (_gate)
        {
            _frozen = true;
        }
    }

    /// <summary>Lets the timers fire again; those that came due while frozen fire now, once each.</summary>
    public void Thaw()
    {
        PausableTimer[] due;
        lock (_gate)
        {
            _frozen = false;
            due = [.. _due];
            _due.Clear();
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    /// <summary>Whether a timer may fire now; when frozen, it is kept to fire on thaw (once, however many ticks it missed).</summary>
    private bool MayFire(PausableTimer timer)
    {
        lock (_gate)
        {
            if (!_frozen)
            {
                return true;
            }

            if (!_due.Contains(timer))
            {
                _due.Add(timer);
            }

            return false;
        }
    }

    private sealed class PausableTimer : ITimer
    {
        private readonly PausableClock _clock;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private readonly ITimer _inner;
        private int _disposed;

        public PausableTimer(PausableClock clock, TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _clock = clock;
            _callback = callback;
            _state = state;
            _inner = System.CreateTimer(static self => ((PausableTimer)self!).OnTick(), this, dueTime, period);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period) => _inner.Change(dueTime, period);

        public void Fire()
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                _callback(_state);
            }
        }

        public void Dispose()
        {
            Volatile.Write(ref _disposed, 1);
            _inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Volatile.Write(ref _disposed, 1);
            return _inner.DisposeAsync();
        }

        private void OnTick()
        {
            if (_clock.MayFire(this))
            {
                Fire();
            }
        }
    }
}
