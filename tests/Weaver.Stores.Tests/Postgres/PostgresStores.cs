using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Weaver.PostgreSql;
using Weaver.Stores.Tests.Conformance;

namespace Weaver.Stores.Tests.Postgres;

/// <summary>Opens <see cref="PostgreSqlWeaverStore"/>s on fresh databases of the shared cluster, for the PostgreSQL tests.</summary>
public static class PostgresStores
{
    private static int counter;

    /// <summary>Lease timing short enough for tests: stale 14 s after the last heartbeat.</summary>
    public static LeaseOptions Leases { get; } = StoreSetup.Default().Leases;

    /// <summary>A database name no other test of this run uses (at most 40 characters, as the fixture allows).</summary>
    public static string NewDatabaseName(string prefix) =>
        $"{prefix}_{Interlocked.Increment(ref counter)}_{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>A fresh, empty database on the cluster; its connection string.</summary>
    public static Task<string> NewDatabaseAsync(PostgresCluster cluster, string prefix = "pg") =>
        cluster.CreateDatabaseAsync(NewDatabaseName(prefix));

    /// <summary>Options for a store on <paramref name="connectionString"/>; the fake clock when given, the database's otherwise.</summary>
    public static PostgreSqlStoreOptions Options(string connectionString, TimeProvider? time, ILoggerFactory? logs = null) => new()
    {
        ConnectionString = connectionString,
        Leases = Leases,
        TimeProvider = time,
        JitterSource = () => 0.5,
        LoggerFactory = logs,
        Reconnect = new PostgreSqlReconnectOptions { MaxRetries = 12, InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromSeconds(1) },
    };

    /// <summary>A store on a fresh database.</summary>
    public static async Task<PostgreSqlWeaverStore> OpenAsync(PostgresCluster cluster, TimeProvider? time, ILoggerFactory? logs = null) =>
        await PostgreSqlWeaverStore.OpenAsync(Options(await NewDatabaseAsync(cluster), time, logs));

    /// <summary>Runs one SQL statement on <paramref name="connectionString"/> (for rows the store would never write).</summary>
    public static async Task<object?> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>A fake clock at the conformance suite's start instant.</summary>
    public static FakeTimeProvider NewClock() => StoreSetup.Default().Time;
}

/// <summary>Keeps what was logged, to check that a skipped row is named.</summary>
public sealed class ListLoggerFactory : ILoggerFactory, ILogger
{
    private readonly List<(LogLevel Level, string Message)> entries = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (entries)
            {
                return [.. entries];
            }
        }
    }

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => this;

    public void Dispose()
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        lock (entries)
        {
            entries.Add((logLevel, formatter(state, exception)));
        }
    }
}
