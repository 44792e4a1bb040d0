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
    private readonly Func<Lease<string>, ValueTask<Lease<string>?>> _renew;
    private readonly CancellationTokenSource _cancellation;
    private readonly CancellationToken _token;
    private readonly ITimer? _timer;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _renewing = new(1, 1);
    private readonly Action<Lease<string>>? _onLost;
    private readonly TimeProvider _time;
    private Lease<string> _lease;
    private int _heartbeats;
    private int _lost;
    private int _stopped;
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
        : this(RenewIn(table, renewWith), table.Options.HeartbeatInterval, lease, timeProvider, stopping, default, onLost)
    {
    }

    /// <summary>
    /// Starts keeping a lease that <paramref name="renew"/> renews: a store's conditional renewal, which may complete
    /// asynchronously (a database round trip). Renewals never overlap; a timer tick that finds one in flight is skipped.
    /// </summary>
    /// <param name="renew">Renews the lease as last renewed; null when it was lost. An exception counts as "try again next heartbeat".</param>
    /// <param name="heartbeatInterval">
    /// How often to renew, on a timer of the keeper's own; null when a <see cref="HeartbeatTicker"/> calls <see cref="Tick"/>
    /// instead (a worker group's one timer for all its attempts).
    /// </param>
    /// <param name="lease">The lease to keep alive.</param>
    /// <param name="timeProvider">The clock that drives heartbeats.</param>
    /// <param name="stopping">Cancelled when the work should stop for another reason (job cancelled, shutdown).</param>
    /// <param name="alsoStopping">A second such reason, so that a caller with two need not link them first.</param>
    /// <param name="onLost">Called once, after <see cref="Token"/> is cancelled, when a renewal fails.</param>
    internal LeaseKeeper(
        Func<Lease<string>, ValueTask<Lease<string>?>> renew,
        TimeSpan? heartbeatInterval,
        Lease<string> lease,
        TimeProvider timeProvider,
        CancellationToken stopping = default,
        CancellationToken alsoStopping = default,
        Action<Lease<string>>? onLost = null)
    {
        ArgumentNullException.ThrowIfNull(renew);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (lease.Key is null || lease.Owner is null)
        {
            throw new ArgumentException("The lease is empty (default); pass a lease the claim table granted.", nameof(lease));
        }

        _renew = renew;
        _time = timeProvider;
        _lease = lease;
        _onLost = onLost;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping, alsoStopping);
        _token = _cancellation.Token; // stays readable after Dispose, for code that outlives the attempt
        if (heartbeatInterval is { } interval)
        {
            _timer = timeProvider.CreateTimer(static state => ((LeaseKeeper)state!).Tick(), this, interval, interval);
        }
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
    public int Heartbeats => Volatile.Read(ref _heartbeats);

    /// <summary>Renews now.</summary>
    /// <exception cref="LeaseLostException">The lease is lost; <see cref="Token"/> is cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The attempt this keeper served has ended.</exception>
    public void Heartbeat() => SynchronousWait.Complete(HeartbeatAsync());

    /// <summary>Renews now, waiting for a store's round trip without blocking a thread.</summary>
    /// <returns>A task that completes once the lease is renewed.</returns>
    /// <exception cref="LeaseLostException">The lease is lost; <see cref="Token"/> is cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The attempt this keeper served has ended.</exception>
    public async ValueTask HeartbeatAsync()
    {
        if (!IsLost)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        }

        await _renewing.WaitAsync().ConfigureAwait(false);
        if (!await RenewHeldAsync(fromTimer: false).ConfigureAwait(false))
        {
            var lease = Lease;
            throw new LeaseLostException(lease.Key, lease.Owner, lease.Epoch, "heartbeat");
        }
    }

    /// <summary>
    /// Stops the heartbeats and waits for a renewal in flight to end; call it before committing under the lease, so no
    /// heartbeat reaches the store after the commit (where it would be rejected, and recorded as a zombie's write).
    /// </summary>
    /// <returns>A task that completes once no renewal can run any more.</returns>
    internal async ValueTask StopHeartbeatsAsync()
    {
        Volatile.Write(ref _stopped, 1);
        _timer?.Dispose();
        await _renewing.WaitAsync().ConfigureAwait(false); // a renewal in flight holds it until it ends
        _renewing.Release();
    }

    /// <summary>Stops the heartbeats; the lease itself is left as it is (the caller completes or releases it).</summary>
    public void Dispose()
    {
        Volatile.Write(ref _disposed, 1);
        _timer?.Dispose();
        _cancellation.Dispose();
    }

    /// <summary>Renews a lease in <paramref name="table"/>, and then what the holder keeps under it.</summary>
    internal static Func<Lease<string>, ValueTask<Lease<string>?>> RenewIn(ClaimTable<string> table, Func<bool>? renewWith)
    {
        ArgumentNullException.ThrowIfNull(table);

        // What the holder keeps under the lease is renewed after the lease itself.
        return lease => ValueTask.FromResult<Lease<string>?>(
            table.TryRenew(lease, out var next) && (renewWith is null || renewWith()) ? next : null);
    }

    /// <summary>A heartbeat is due: renews the lease unless the keeper stopped, was disposed, lost it, or a renewal is in flight.</summary>
    internal void Tick()
    {
        if (!IsLost && Volatile.Read(ref _stopped) == 0 && Volatile.Read(ref _disposed) == 0 && _renewing.Wait(0))
        {
            _ = RenewHeldAsync(fromTimer: true);
        }
    }

    /// <summary>Call holding <see cref="_renewing"/>; releases it. A timer's renewal never throws.</summary>
    private async ValueTask<bool> RenewHeldAsync(bool fromTimer)
    {
        Lease<string>? next;
        try
        {
            if (IsLost)
            {
                return false;
            }

            if (fromTimer && Volatile.Read(ref _stopped) == 1)
            {
                return true; // the attempt is committing: this tick came too late to renew
            }

            try
            {
                var started = WeaverMetrics.HeartbeatsTimed ? _time.GetTimestamp() : 0;
                next = await _renew(Lease).ConfigureAwait(false);
                if (started != 0)
                {
                    WeaverMetrics.Heartbeat(_time.GetElapsedTime(started));
                }
            }
            catch (Exception) when (fromTimer)
            {
                // The store could not be reached: the lease is not known lost, so the next heartbeat tries again. If the
                // lease goes stale meanwhile, that renewal is rejected and the work stops then. A heartbeat the handler
                // asked for gets the error instead.
                return true;
            }

            if (next is { } renewed)
            {
                lock (_gate)
                {
                    _lease = renewed;
                }

                Interlocked.Increment(ref _heartbeats);
                return true;
            }
        }
        finally
        {
            _renewing.Release();
        }

        // Outside the lock: cancelling runs the handler's registered callbacks.
        if (Interlocked.Exchange(ref _lost, 1) == 0)
        {
            _timer?.Dispose();
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
