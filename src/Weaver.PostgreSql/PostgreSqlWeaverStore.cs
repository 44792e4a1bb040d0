using System.Data.Common;
using System.IO;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Weaver.PostgreSql;

/// <summary>
/// The PostgreSQL store (ADR 0019): a fleet of workers on many machines shares tasks, leases, resource locks, jobs and
/// artifact metadata through one database. Open it with <see cref="OpenAsync"/>.
/// </summary>
/// <remarks>
/// <para><b>Fencing.</b> Every worker write (commit, failure, hand-back, decision, artifact, heartbeat) is one conditional
/// <c>UPDATE</c> (or a write guarded by a locked, conditional read) on the task's id, epoch, state <c>Running</c> and a live
/// lease, in one transaction with its history events; a write that matches no row is rejected and recorded as such.</para>
/// <para><b>Time.</b> With <see cref="PostgreSqlStoreOptions.TimeProvider"/> null the database's <c>now()</c> judges expiry
/// and stamps rows; otherwise the given clock's time is passed to the same statements. Timestamps are <c>timestamptz</c>,
/// so they are kept to the microsecond.</para>
/// <para><b>Claims</b> take candidates with <c>FOR UPDATE SKIP LOCKED</c>, so concurrent workers never wait for each
/// other's candidates, and acquire a candidate's resource locks in the same transaction, under a savepoint of its own.
/// Resource lock rows are always locked in ordinal key order, so lock waits cannot form a cycle.</para>
/// <para><b>Wake-ups.</b> Creates, hand-backs, take-backs, scheduled retries and released resources send a
/// <c>NOTIFY</c>; <see cref="WaitForWorkAsync"/> waits on the store's one listening connection.</para>
/// <para><b>Connection loss.</b> Transient failures are retried with backoff (<see cref="PostgreSqlReconnectOptions"/>).
/// Each write carries a write id stored with it; before a write is tried again its id is looked up, so a write whose
/// commit landed before the connection dropped is reported as it landed and never applied twice.</para>
/// </remarks>
public sealed partial class PostgreSqlWeaverStore : IWeaverStore
{
    private const string TaskColumns =
        "id, kind, state, input, attempts, retry_max_attempts, retry_initial_delay_ticks, retry_multiplier, retry_max_delay_ticks, "
        + "retry_jitter, epoch, owner, lease_expires_at, due_at, result, error, cost, created_at, resources, job_id, job_task_id, trace_parent, trace_state";

    private static readonly Dictionary<string, TaskLifecycle.State> States =
        Enum.GetValues<TaskLifecycle.State>().ToDictionary(state => state.ToString(), StringComparer.Ordinal);

    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _listenSource;
    private readonly PostgreSqlStoreOptions _options;
    private readonly TimeProvider? _fakeTime;
    private readonly TimeProvider _waitTime;
    private readonly Func<double> _jitter;
    private readonly ILogger _logger;
    private readonly string _s;
    private readonly string _channel;
    private readonly WorkListener _listener;
    private int _disposed;

    private PostgreSqlWeaverStore(PostgreSqlStoreOptions options, NpgsqlDataSource dataSource, NpgsqlDataSource listenSource, ILogger logger)
    {
        _options = options;
        _dataSource = dataSource;
        _listenSource = listenSource;
        _fakeTime = options.TimeProvider;
        _waitTime = options.TimeProvider ?? TimeProvider.System;
        _jitter = options.JitterSource ?? Random.Shared.NextDouble;
        _logger = logger;
        _s = Migrations.Quote(options.Schema);
        _channel = options.Schema + "_work";
        _listener = new WorkListener(listenSource, _channel, options.Reconnect, _jitter, logger);
    }

    /// <inheritdoc />
    public LeaseOptions Leases => _options.Leases;

    /// <summary>The options the store was opened with.</summary>
    public PostgreSqlStoreOptions Options => _options;

    /// <summary>The schema that holds the store's tables.</summary>
    public string Schema => _options.Schema;

    /// <summary>The <c>LISTEN</c>/<c>NOTIFY</c> channel that wakes idle workers: the schema name followed by <c>_work</c>.</summary>
    public string Channel => _channel;

    /// <summary>
    /// Opens the store: validates the options, applies the missing schema migrations (safe when several processes start
    /// at once), and starts listening for work.
    /// </summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="cancellationToken">Stops opening.</param>
    /// <returns>The open store; dispose it to close its connections.</returns>
    /// <exception cref="ArgumentException">An option is invalid; the message says which and what is allowed.</exception>
    /// <exception cref="PostgreSqlStoreUnavailableException">The server stayed unreachable through every retry.</exception>
    public static async Task<PostgreSqlWeaverStore> OpenAsync(PostgreSqlStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        options.ConfigureDataSource?.Invoke(builder);

        // The listening connection stays open for the store's life: outside the pool, so it never takes a pooled
        // connection from the calls, and with keepalives (unless set), so a connection that silently died is noticed.
        var listenBuilder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        options.ConfigureDataSource?.Invoke(listenBuilder);
        listenBuilder.ConnectionStringBuilder.Pooling = false;
        if (listenBuilder.ConnectionStringBuilder.KeepAlive == 0)
        {
            listenBuilder.ConnectionStringBuilder.KeepAlive = 30;
        }

        var store = new PostgreSqlWeaverStore(options, builder.Build(), listenBuilder.Build(), loggerFactory.CreateLogger<PostgreSqlWeaverStore>());
        try
        {
            var applied = await store.RetryAsync($"migrate schema '{options.Schema}'", async ct =>
            {
                await using var connection = await store._dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
                return await Migrations.ApplyAsync(connection, options.Schema, ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            if (applied.Count > 0)
            {
                Log.Migrated(store._logger, options.Schema, string.Join(", ", applied));
            }

            await store._listener.StartAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask<DateTimeOffset> NowAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (_fakeTime is not null)
        {
            return Sql.CeilingToMicrosecond(_fakeTime.GetUtcNow());
        }

        return await RunAsync("read the clock", (s, ct) => s.NowAsync(ct), recover: null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Completes on a notification on <see cref="Channel"/>, when the earliest scheduled retry comes due, or after
    /// <paramref name="maxWait"/>, whichever is first; times are kept by <see cref="PostgreSqlStoreOptions.TimeProvider"/>
    /// (the system clock when null). There is no polling: the store holds one listening connection.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWait"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>) or longer than 49 days.</exception>
    public async ValueTask WaitForWorkAsync(TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        var forever = maxWait == Timeout.InfiniteTimeSpan;
        if (!forever && (maxWait < TimeSpan.Zero || maxWait > TimeSpan.FromDays(49)))
        {
            throw new ArgumentOutOfRangeException(nameof(maxWait), maxWait,
                $"maxWait must be from zero to 49 days, or Timeout.InfiniteTimeSpan to wait for a hint alone; it is {maxWait}.");
        }

        ThrowIfDisposed();
        if (maxWait == TimeSpan.Zero)
        {
            return;
        }

        // Taken before anything is awaited: a notification or clock advance after this call started is not missed.
        var pulse = _listener.NextPulse;
        var startedAt = _fakeTime is null ? (DateTimeOffset?)null : Sql.CeilingToMicrosecond(_fakeTime.GetUtcNow());
        using var timers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timeout = Task.Delay(maxWait, _waitTime, timers.Token);
        var (due, dbNow) = await RunAsync("find the next retry's due time", async (s, ct) =>
        {
            var now = startedAt ?? await s.NowAsync(ct).ConfigureAwait(false);
            await using var command = s.Command($"SELECT min(due_at) FROM {_s}.tasks WHERE state = 'RetryScheduled' AND due_at > @now").Time("now", now);
            var next = await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
            return (next is DateTime at ? new DateTimeOffset(at.ToUniversalTime()) : (DateTimeOffset?)null, now);
        }, recover: null, cancellationToken).ConfigureAwait(false);

        // Measured from the clock now, not from when the call started: a fake clock may have moved meanwhile.
        TimeSpan? dueIn = due is { } dueAt ? dueAt - (_fakeTime is null ? dbNow : _fakeTime.GetUtcNow()) : null;
        var waits = new List<Task> { pulse, timeout };
        if (dueIn is { } untilDue && (forever || untilDue < maxWait) && untilDue <= TimeSpan.FromDays(49))
        {
            waits.Add(untilDue <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(untilDue, _waitTime, timers.Token));
        }

        try
        {
            await Task.WhenAny(waits).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
        finally
        {
            await timers.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops listening and closes every connection of the store's pool.</summary>
    /// <returns>A task that completes when everything is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _listener.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        await _listenSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Tests only: called with each try's connection right before and right after its commit, to lose the connection
    /// where a real network would (before the commit: it rolls back; after it: the outcome is unknown to the caller).
    /// </summary>
    internal Func<FaultPoint, string, NpgsqlConnection, Task>? Faults { get; set; }

    /// <summary>Where <see cref="Faults"/> is called.</summary>
    internal enum FaultPoint
    {
        BeforeCommit,
        AfterCommit,
    }

    /// <summary>The store's listener, for tests.</summary>
    internal WorkListener Listener => _listener;

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    /// <summary>
    /// Runs <paramref name="body"/> in a transaction and commits it, retrying on transient failures. Before a retry,
    /// <paramref name="recover"/> (when given) looks for the write id of the failed try, in the retry's transaction: when
    /// the failed try's commit did land, its outcome is returned and <paramref name="body"/> does not run again.
    /// </summary>
    private Task<T> RunAsync<T>(
        string operation,
        Func<Session, CancellationToken, Task<T>> body,
        Func<Session, CancellationToken, Task<Recovered<T>>>? recover,
        CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var tries = 0;
        CommitTelemetry? unacknowledged = null; // what a try whose commit got no reply would count, if it landed
        return RetryAsync(operation, async ct =>
        {
            tries++;
            await using var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            var session = new Session(this, connection, transaction);
            if (tries > 1 && recover is not null)
            {
                var found = await recover(session, ct).ConfigureAwait(false);
                if (found.Found)
                {
                    await transaction.CommitAsync(ct).ConfigureAwait(false);
                    unacknowledged?.ReportCommitted(); // it landed: counted now, once
                    Log.Recovered(_logger, operation);
                    return found.Value;
                }
            }

            var result = await body(session, ct).ConfigureAwait(false);
            if (session.Notify is { } reason)
            {
                await using var notify = session.Command("SELECT pg_notify(@channel, @reason)").Text("channel", _channel).Text("reason", reason);
                await notify.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            if (Faults is { } beforeCommit)
            {
                await beforeCommit(FaultPoint.BeforeCommit, operation, connection).ConfigureAwait(false);
            }

            unacknowledged = session.Telemetry;
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            if (Faults is { } afterCommit)
            {
                await afterCommit(FaultPoint.AfterCommit, operation, connection).ConfigureAwait(false);
            }

            // Counted only once the commit's reply came: a lost reply leaves it to the retry's recovery, which finds
            // whether the write landed.
            unacknowledged = null;
            session.Telemetry.ReportCommitted();
            return result;
        }, cancellationToken);
    }

    /// <summary>Runs <paramref name="action"/>, trying it again after a backoff while it fails with a transient error.</summary>
    private async Task<T> RetryAsync<T>(string operation, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (IsTransient(error) && !cancellationToken.IsCancellationRequested)
            {
                if (attempt > _options.Reconnect.MaxRetries)
                {
                    throw new PostgreSqlStoreUnavailableException(operation, attempt, TimeProvider.System.GetElapsedTime(started), error);
                }

                // Idle connections of the pool died with the server's: drop them rather than fail on each in turn.
                _dataSource.Clear();
                var delay = _options.Reconnect.DelayBefore(attempt, _jitter());
                Log.Retrying(_logger, error, operation, attempt, error.Message, delay);
                await Task.Delay(delay, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Whether trying again may succeed: a lost or refused connection, a server shutting down or starting, too many
    /// connections, a deadlock or serialization failure (the transaction was rolled back whole).
    /// </summary>
    internal static bool IsTransient(Exception error) => error switch
    {
        PostgresException postgres => postgres.IsTransient || postgres.SqlState is
            "57P01" or "57P02" or "57P03" or "53300" or "40001" or "40P01"
            || postgres.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or SocketException or TimeoutException,
        IOException or SocketException => true,
        _ => false,
    };

    /// <summary>A text parameter must not hold U+0000, which PostgreSQL's text cannot store.</summary>
    private static void RequireStorable(string? value, string what)
    {
        if (value is not null && value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"{what} contains a NUL character (U+0000), which PostgreSQL text cannot hold; remove it or encode it (JSON writes it as \\u0000).",
                what);
        }
    }

    private static TaskLifecycle.State? ParseState(string state) =>
        States.TryGetValue(state, out var parsed) ? parsed : null;

    private string TasksTable => $"{Schema}.tasks";

    /// <summary>Reads a task row selected with <see cref="TaskColumns"/>; throws <see cref="StoreRowException"/> for a row it cannot read.</summary>
    private StoredTask ReadTask(DbDataReader reader)
    {
        var id = reader.GetString(0);
        var stateText = reader.GetString(2);
        if (ParseState(stateText) is not { } state)
        {
            throw StoreRowException.UnknownTaskState(TasksTable, id, stateText);
        }

        var retry = new RetryPolicy
        {
            MaxAttempts = reader.GetInt32(5),
            InitialDelay = TimeSpan.FromTicks(reader.GetInt64(6)),
            Multiplier = reader.GetDouble(7),
            MaxDelay = TimeSpan.FromTicks(reader.GetInt64(8)),
            Jitter = reader.GetDouble(9),
        };
        return new StoredTask(
            id,
            reader.GetString(1),
            state,
            reader.NullableText(3),
            reader.GetInt32(4),
            retry,
            reader.GetInt64(10),
            reader.NullableText(11),
            reader.NullableTime(12),
            reader.NullableTime(13),
            reader.NullableText(14),
            reader.NullableText(15),
            reader.GetDecimal(16),
            reader.Time(17))
        {
            Resources = reader.GetFieldValue<string[]>(18),
            Job = ReadJobRef(reader, 19),
            TraceParent = reader.NullableText(21),
            TraceState = reader.NullableText(22),
        };
    }

    private static JobTaskRef? ReadJobRef(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) || reader.IsDBNull(ordinal + 1)
            ? null
            : new JobTaskRef(new JobId(reader.GetString(ordinal)), reader.GetString(ordinal + 1));

    /// <summary>The outcome of a recovery lookup: whether the lost try's write landed, and what it returned.</summary>
    private readonly record struct Recovered<T>(bool Found, T Value)
    {
        public static Recovered<T> No => default;

        public static Recovered<T> Yes(T value) => new(true, value);
    }

    /// <summary>One try's connection and transaction, and the time it judges by.</summary>
    private sealed class Session(PostgreSqlWeaverStore store, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        private DateTimeOffset? _now;

        public NpgsqlTransaction Transaction => transaction;

        /// <summary>Set to send one <c>NOTIFY</c> on the store's channel with the commit.</summary>
        public string? Notify { get; set; }

        public NpgsqlCommand Command(string sql) => new(sql, connection, transaction);

        /// <summary>What this try reports to Weaver's meter once it commits; a try rolled back (or retried) reports nothing.</summary>
        public CommitTelemetry Telemetry { get; } = new();

        /// <summary>
        /// The transaction's time: the fake clock's, rounded up to the microsecond, or the database's <c>now()</c> (the
        /// transaction's start), read once. Every statement of the transaction judges expiry by it.
        /// </summary>
        public async Task<DateTimeOffset> NowAsync(CancellationToken cancellationToken)
        {
            if (_now is { } now)
            {
                return now;
            }

            if (store._fakeTime is { } fake)
            {
                _now = FakeNow(fake);
            }
            else
            {
                await using var command = Command("SELECT now()");
                var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                _now = new DateTimeOffset(((DateTime)value!).ToUniversalTime());
            }

            return _now.Value;
        }

        /// <summary>
        /// The transaction's time in SQL: <c>@now</c> (see <see cref="WithNow"/>) on a fake clock, otherwise <c>now()</c>, the
        /// database's time at the transaction's start, which <see cref="NowAsync"/> reads too. A statement that judges by
        /// it needs no round trip before it to read the time.
        /// </summary>
        public string NowSql => store._fakeTime is null ? "now()" : "@now";

        /// <summary>Gives <paramref name="command"/> the <c>@now</c> parameter that <see cref="NowSql"/> names on a fake clock.</summary>
        public NpgsqlCommand WithNow(NpgsqlCommand command) =>
            store._fakeTime is { } fake ? command.Time("now", _now ??= FakeNow(fake)) : command;

        /// <summary>A fake clock's time as the database would store it: rounded up to the microsecond.</summary>
        private static DateTimeOffset FakeNow(TimeProvider fake) => Sql.CeilingToMicrosecond(fake.GetUtcNow());

        /// <summary>Records the transaction's time that a statement returned (its <see cref="NowSql"/>), so it is not read again.</summary>
        public void Observed(DateTimeOffset now) => _now ??= now;

        /// <summary>When a lease taken or renewed now expires: now + StaleAfter, to the microsecond.</summary>
        public async Task<DateTimeOffset> ExpiryAsync(CancellationToken cancellationToken) =>
            Sql.FloorToMicrosecond(await NowAsync(cancellationToken).ConfigureAwait(false) + store.Leases.StaleAfter);
    }
}
