namespace Weaver;

/// <summary>
/// Keeps one lease alive while its holder works: renews it every <see cref="LeaseOptions.HeartbeatInterval"/> on a
/// <see cref="TimeProvider"/> timer, and cancels <see cref="Token"/> the moment a renewal fails, so the holder stops
/// before it could write under a lease it lost.
/// </summary>
/// <remarks>
/// This is the lease plumbing every handler runs under; generated code only registers handlers, so the algorithm
/// exists once. Timer callbacks renew without locks (the claim table is lock-free); the lease value is swapped under a
/// small lock that is never held across an await.
/// </remarks>
public sealed class LeaseKeeper : IDisposable
{
    private readonly ClaimTable<string> _table;
    private readonly CancellationTokenSource _cancellation;
    private readonly CancellationToken _token;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private readonly Action<Lease<string>>? _onLost;
    private readonly Func<bool>? _renewWith;
    private Lease<string> _lease;
    private int _lost;
    private int _disposed;

    /// <summary>Starts keeping <paramref name="lease"/>, which <paramref name="table"/> granted.</summary>
    /// <param name="table">The table that granted the lease.</param>
    /// <param name="lease">The lease to keep alive.</param>
    /// <param name="timeProvider">The clock that drives heartbeats.</param>
    /// <param name="stopping">Cancelled when the work should stop for another reason (job cancelled, shutdown).</param>
    /// <param name="onLost">Called once, after <see cref="Token"/> is cancelled, when a renewal fails.</param>
    /// <param name="renewWith">
    /// Renews what the holder keeps under this lease (such as its resource locks) with each heartbeat; when it returns
    /// false, the lease counts as lost.
    /// </param>
    public LeaseKeeper(
        ClaimTable<string> table,
        Lease<string> lease,
        TimeProvider timeProvider,
        CancellationToken stopping = default,
        Action<Lease<string>>? onLost = null,
        Func<bool>? renewWith = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (lease.Key is null || lease.Owner is null)
        {
            throw new ArgumentException("The lease is empty (default); pass a lease the claim table granted.", nameof(lease));
        }

        _table = table;
        _lease = lease;
        _onLost = onLost;
        _renewWith = renewWith;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _token = _cancellation.Token; // stays readable after Dispose, for code that outlives the attempt
        var interval = table.Options.HeartbeatInterval;
        _timer = timeProvider.CreateTimer(static state => ((LeaseKeeper)state!).Renew(), this, interval, interval);
    }

    /// <summary>The lease as last renewed.</summary>
    public Lease<string> Lease
    {
        get
        {
            lock (_gate)
            {
                return _lease;
            }
        }
    }

    /// <summary>Cancelled when the lease is lost or when the work is stopped from outside.</summary>
    public CancellationToken Token => _token;

    /// <summary>Whether a renewal failed: the lease went stale, or another worker took it over.</summary>
    public bool IsLost => Volatile.Read(ref _lost) == 1;

    /// <summary>How many heartbeats succeeded.</summary>
    public int Heartbeats { get; private set; }

    /// <summary>Renews now.</summary>
    /// <exception cref="LeaseLostException">The lease is lost; <see cref="Token"/> is cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The attempt this keeper served has ended.</exception>
    public void Heartbeat()
    {
        if (!IsLost)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        }

        if (!Renew())
        {
            var lease = Lease;
            throw new LeaseLostException(lease.Key, lease.Owner, lease.Epoch, "heartbeat");
        }
    }

    /// <summary>Stops the heartbeats; the lease itself is left as it is (the caller completes or releases it).</summary>
    public void Dispose()
    {
        Volatile.Write(ref _disposed, 1);
        _timer.Dispose();
        _cancellation.Dispose();
    }

    private bool Renew()
    {
        if (IsLost)
        {
            return false;
        }

        bool renewed;
        lock (_gate)
        {
            renewed = _table.TryRenew(_lease, out var next);
            if (renewed)
            {
                _lease = next;
                Heartbeats++;
            }
        }

        // What the holder keeps under the lease is renewed after the lease itself, and outside its lock.
        if (renewed && (_renewWith is null || _renewWith()))
        {
            return true;
        }

        // Outside the lock: cancelling runs the handler's registered callbacks.
        if (Interlocked.Exchange(ref _lost, 1) == 0)
        {
            _timer.Dispose();
            try
            {
                _cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Disposed concurrently: the work already ended.
            }

            _onLost?.Invoke(Lease);
        }

        return false;
    }
}
