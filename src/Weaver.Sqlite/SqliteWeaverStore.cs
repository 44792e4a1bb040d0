using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Weaver.Sqlite;

/// <summary>
/// <see cref="IWeaverStore"/> in one SQLite file that several processes share (ADR 0019): tasks with their leases,
/// epochs and history, resource locks, jobs and artifact metadata.
/// </summary>
/// <remarks>
/// <para>The file runs in WAL mode with foreign keys on. Every write is one <c>BEGIN IMMEDIATE</c> transaction, so
/// writers (of any process) queue for the write lock before they read, and a fenced write is a conditional
/// <c>UPDATE ... WHERE id = $id AND epoch = $epoch AND state = 'Running' AND lease_expires_at &gt;= $now</c> whose row
/// count decides; a rejected write's event is inserted in the same transaction. A busy file is waited for
/// (<see cref="SqliteStoreOptions.BusyTimeout"/>), then retried with a short backoff, then reported.</para>
/// <para>Lease expiry is judged by <see cref="SqliteStoreOptions.TimeProvider"/>: one machine, one clock.</para>
/// <para>The schema is built by versioned migrations on first use (or by <see cref="OpenAsync"/>); processes that
/// start at once do not race. Text reaches SQL only as parameters, and payloads are stored exactly as given.</para>
/// <para>Microsoft.Data.Sqlite runs statements synchronously: a call holds its thread while SQLite works, and while it
/// waits for another connection's write lock. Each call is one short transaction on a connection of the store's own
/// pool, so calls from many threads run side by side (reads) or queue for the write lock (writes).</para>
/// </remarks>
public sealed partial class SqliteWeaverStore : IWeaverStore
{
    private readonly SqliteStoreOptions _options;
    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private readonly Func<double> _jitter;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposing = new();
    private readonly SemaphoreSlim _migrating = new(1, 1);
    private volatile bool _migrated;
    private readonly Lock _dueGate = new();
    private readonly SortedSet<long> _retryDueTicks = [];
    private TaskCompletionSource _workSignal = NewSignal();
    private int _disposed;

    /// <summary>Creates the store; the file is opened, and its schema built or brought up to date, on first use.</summary>
    /// <param name="options">The file, the lease timing and the clock; validated here.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message says which and what is allowed.</exception>
    public SqliteWeaverStore(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validate();
        _time = options.TimeProvider ?? TimeProvider.System;
        _jitter = options.JitterSource ?? Random.Shared.NextDouble;
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SqliteWeaverStore>();
        _database = new SqliteDatabase(options, _time);
    }

    /// <summary>The database file.</summary>
    public string DataSource => _database.DataSource;

    /// <inheritdoc />
    public LeaseOptions Leases => _options.Leases;

    /// <summary>Creates the store and opens its file now, building or migrating its schema, so that a bad path fails here.</summary>
    /// <param name="options">The file, the lease timing and the clock.</param>
    /// <param name="cancellationToken">Stops opening.</param>
    /// <returns>The open store.</returns>
    public static async Task<SqliteWeaverStore> OpenAsync(SqliteStoreOptions options, CancellationToken cancellationToken = default)
    {
        var store = new SqliteWeaverStore(options);
        try
        {
            await store.EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask<DateTimeOffset> NowAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_time.GetUtcNow().ToUniversalTime());
    }

    /// <summary>
    /// Waits for <see cref="SqliteStoreOptions.PollInterval"/> (by the store's clock) or <paramref name="maxWait"/>,
    /// whichever is shorter, or until this store itself submits a task, hands one back, takes one back, frees resources,
    /// or a retry it scheduled comes due. SQLite has no notifications: another process's writes are found by the
    /// caller's next claim, at the latest one poll interval later. A wake-up is a hint; the caller claims and may get
    /// nothing.
    /// </summary>
    /// <param name="maxWait">The longest wait: zero or more, or <see cref="Timeout.InfiniteTimeSpan"/> for one poll interval.</param>
    /// <param name="cancellationToken">Stops the wait (it then throws <see cref="OperationCanceledException"/>).</param>
    /// <returns>A task that completes on a hint or at the timeout.</returns>
    public async ValueTask WaitForWorkAsync(TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        if (maxWait < TimeSpan.Zero && maxWait != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxWait), maxWait, $"maxWait must be zero or more, or Timeout.InfiniteTimeSpan (wait one poll interval); it is {maxWait}.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var wait = maxWait == Timeout.InfiniteTimeSpan || maxWait > _options.PollInterval ? _options.PollInterval : maxWait;
        if (UntilNextRetry(_time.GetUtcNow()) is { } untilRetry && untilRetry < wait)
        {
            wait = untilRetry;
        }

        if (wait == TimeSpan.Zero)
        {
            return;
        }

        var signal = Volatile.Read(ref _workSignal).Task;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        var delay = Task.Delay(wait, _time, stop.Token);
        await Task.WhenAny(signal, delay).ConfigureAwait(false);

        // Stops the delay's timer when the signal came first.
        await stop.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Closes the store's connections; waits in <see cref="WaitForWorkAsync"/> end. Calls after this throw <see cref="ObjectDisposedException"/>.</summary>
    /// <returns>A completed task.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // The token source and the semaphore are left to the collector: a call racing this one may still touch them.
        await _disposing.CancelAsync().ConfigureAwait(false);
        _database.Dispose();
    }

    /// <summary>Remembers when a retry this store scheduled comes due, so that a wait ends then.</summary>
    private void RememberRetry(DateTimeOffset dueAt)
    {
        lock (_dueGate)
        {
            _retryDueTicks.Add(dueAt.UtcTicks);
        }
    }

    /// <summary>How long until the next retry this store scheduled comes due; null when none is ahead (passed ones are forgotten).</summary>
    private TimeSpan? UntilNextRetry(DateTimeOffset now)
    {
        lock (_dueGate)
        {
            while (_retryDueTicks.Count > 0 && _retryDueTicks.Min <= now.UtcTicks)
            {
                _retryDueTicks.Remove(_retryDueTicks.Min);
            }

            return _retryDueTicks.Count == 0 ? null : TimeSpan.FromTicks(_retryDueTicks.Min - now.UtcTicks);
        }
    }

    /// <summary>Tells this process's waiting workers that a task may have become claimable.</summary>
    private void SignalWork() => Interlocked.Exchange(ref _workSignal, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task<T> WriteAsync<T>(string operation, Func<SqliteSession, T> body, CancellationToken cancellationToken)
    {
        await EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        return await _database.WriteAsync(operation, body, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> ReadAsync<T>(string operation, Func<SqliteSession, T> body, CancellationToken cancellationToken)
    {
        await EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        return await _database.ReadAsync(operation, body, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask EnsureMigratedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_migrated)
        {
            return;
        }

        await _migrating.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_migrated)
            {
                await SqliteSchema.MigrateAsync(_database, cancellationToken).ConfigureAwait(false);
                _migrated = true;
            }
        }
        finally
        {
            _migrating.Release();
        }
    }
}
