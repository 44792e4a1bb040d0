using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Weaver.Sqlite;

/// <summary>
/// The store's connections to its file and the transactions on them. Writes begin with <c>BEGIN IMMEDIATE</c>, so a
/// writer takes the file's write lock before it reads anything: writers queue at the start, and no transaction ever
/// needs to upgrade a read lock (the upgrade deadlock of deferred transactions cannot happen). A statement that finds the
/// file locked waits up to the busy timeout (SQLite's own busy handler); an operation that still finds it busy is rolled
/// back whole and tried again after a short backoff, and then fails with a <see cref="TimeoutException"/>.
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    /// <summary>How often an operation that found the file busy is tried again before it fails.</summary>
    internal const int BusyRetries = 3;

    /// <summary>The backoff before the first retry of a busy operation; it doubles with each retry.</summary>
    internal static readonly TimeSpan FirstBusyBackoff = TimeSpan.FromMilliseconds(20);

    private readonly ConcurrentBag<SqliteConnection> _idle = [];
    private readonly string _connectionString;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _busyTimeout;
    private int _disposed;

    public SqliteDatabase(SqliteStoreOptions options, TimeProvider clock)
    {
        _connectionString = options.BuildConnectionString();
        DataSource = options.DataSource;
        _busyTimeout = options.BusyTimeout;
        _clock = clock;
    }

    /// <summary>The database file, for messages.</summary>
    public string DataSource { get; }

    /// <summary>Runs <paramref name="body"/> in a write transaction (<c>BEGIN IMMEDIATE</c>) and commits it.</summary>
    /// <param name="operation">What the caller does, for the busy error.</param>
    /// <param name="body">The work; it may run again, whole, after a busy rollback.</param>
    /// <param name="cancellationToken">Checked before the transaction begins and before it commits: a cancelled operation changes nothing.</param>
    public Task<T> WriteAsync<T>(string operation, Func<SqliteSession, T> body, CancellationToken cancellationToken) =>
        RunAsync(operation, "BEGIN IMMEDIATE", body, cancellationToken);

    /// <summary>Runs <paramref name="body"/> in a read transaction (<c>BEGIN</c>): one consistent snapshot of the file.</summary>
    public Task<T> ReadAsync<T>(string operation, Func<SqliteSession, T> body, CancellationToken cancellationToken) =>
        RunAsync(operation, "BEGIN", body, cancellationToken);

    /// <summary>Runs <paramref name="body"/> on a connection outside any transaction (for PRAGMAs that refuse one).</summary>
    public Task<T> RunWithoutTransactionAsync<T>(string operation, Func<SqliteSession, T> body, CancellationToken cancellationToken) =>
        RunAsync(operation, begin: null, body, cancellationToken);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }

    private async Task<T> RunAsync<T>(string operation, string? begin, Func<SqliteSession, T> body, CancellationToken cancellationToken)
    {
        var backoff = FirstBusyBackoff;
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            SqliteConnection? connection = null;
            try
            {
                connection = Rent();
                return RunOnce(connection, begin, body, cancellationToken);
            }
            catch (SqliteException error) when (IsBusy(error))
            {
                if (attempt >= BusyRetries)
                {
                    var tries = attempt + 1;
                    throw new TimeoutException(
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"The SQLite database '{DataSource}' stayed locked by another connection: {operation} waited the busy timeout ({_busyTimeout}) {tries} times, with a backoff between tries, and gave up (SQLite said: {error.Message}). Another process may hold a long write transaction; try again later, or raise SqliteStoreOptions.BusyTimeout."),
                        error);
                }
            }
            finally
            {
                if (connection is not null)
                {
                    Return(connection);
                }
            }

            // Contention is between real connections, so the backoff is real time, not the store's lease clock (which
            // a test may have stopped).
            await Task.Delay(backoff, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            backoff += backoff;
        }
    }

    private T RunOnce<T>(SqliteConnection connection, string? begin, Func<SqliteSession, T> body, CancellationToken cancellationToken)
    {
        if (begin is not null)
        {
            Execute(connection, begin);
        }

        try
        {
            var session = new SqliteSession(connection, _clock.GetUtcNow());
            var result = body(session);
            cancellationToken.ThrowIfCancellationRequested();
            if (begin is not null)
            {
                Execute(connection, "COMMIT");
            }

            session.Telemetry.ReportCommitted();
            return result;
        }
        catch
        {
            RollBack(connection);
            throw;
        }
    }

    private static void RollBack(SqliteConnection connection)
    {
        // A failed COMMIT or statement may already have ended the transaction; only an open one is rolled back.
        try
        {
            if (connection.Handle is { } handle && raw.sqlite3_get_autocommit(handle) == 0)
            {
                Execute(connection, "ROLLBACK");
            }
        }
        catch (SqliteException)
        {
            // The connection's state is unknown now: closed, it is not pooled again (Return disposes it).
            connection.Close();
        }
    }

    private SqliteConnection Rent()
    {
        if (_idle.TryTake(out var connection))
        {
            return connection;
        }

        connection = new SqliteConnection(_connectionString);
        try
        {
            try
            {
                connection.Open();
            }
            catch (SqliteException error) when ((error.SqliteErrorCode & 0xFF) == raw.SQLITE_CANTOPEN)
            {
                throw new InvalidOperationException(
                    $"Cannot open the SQLite database '{DataSource}' (SQLite said: {error.Message}): its folder must exist, and this process must be allowed to read and write there.",
                    error);
            }

            // Per connection: wait for other writers in SQLite's busy handler, and enforce the schema's foreign keys.
            Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)_busyTimeout.TotalMilliseconds}"));
            Execute(connection, "PRAGMA foreign_keys = ON");

            // WAL's durable setting: a commit survives a crash of the process or the machine.
            Execute(connection, "PRAGMA synchronous = FULL");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Return(SqliteConnection connection)
    {
        if (Volatile.Read(ref _disposed) != 0 || connection.State != System.Data.ConnectionState.Open)
        {
            connection.Dispose();
            return;
        }

        _idle.Add(connection);

        // Disposed meanwhile: make sure no connection stays open.
        if (Volatile.Read(ref _disposed) != 0)
        {
            while (_idle.TryTake(out var idle))
            {
                idle.Dispose();
            }
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>SQLITE_BUSY or SQLITE_LOCKED, in any of their extended forms.</summary>
    internal static bool IsBusy(SqliteException error) => (error.SqliteErrorCode & 0xFF) is raw.SQLITE_BUSY or raw.SQLITE_LOCKED;
}
