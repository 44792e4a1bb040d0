using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Weaver.Sqlite;

/// <summary>
/// How a <see cref="SqliteWeaverStore"/> opens its database file and judges leases. Give either <see cref="Path"/> or
/// <see cref="ConnectionString"/>; every process that shares the store opens the same file.
/// </summary>
public sealed record SqliteStoreOptions
{
    /// <summary>The longest <see cref="BusyTimeout"/> allowed: ten minutes.</summary>
    public static TimeSpan MaxBusyTimeout { get; } = TimeSpan.FromMinutes(10);

    /// <summary>The longest <see cref="PollInterval"/> allowed: one hour.</summary>
    public static TimeSpan MaxPollInterval { get; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The database file; created with its schema when it does not exist (its folder must exist). Set this or
    /// <see cref="ConnectionString"/>, not both.
    /// </summary>
    public string? Path { get; init; }

    /// <summary>
    /// A Microsoft.Data.Sqlite connection string naming a database file (<c>Data Source=...</c>), for settings such as
    /// a password or a read-write mode. The store keeps its own connections, so its <c>Pooling</c> and
    /// <c>Default Timeout</c> are replaced. An in-memory database is refused: several connections must share the file.
    /// Set this or <see cref="Path"/>, not both.
    /// </summary>
    public string? ConnectionString { get; init; }

    /// <summary>The lease timing of every claim and renewal. Default <see cref="LeaseOptions.Default"/>.</summary>
    public LeaseOptions Leases { get; init; } = LeaseOptions.Default;

    /// <summary>
    /// The store's clock, which judges lease expiry and stamps every row and event (one machine, one clock: every
    /// process sharing the file must use the same wall clock). <see cref="TimeProvider.System"/> when null.
    /// </summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>
    /// How long a statement waits for another connection's write transaction to end before it counts as busy (SQLite's
    /// <c>busy_timeout</c>); the whole operation is then tried again a few times after a short backoff, and fails with
    /// a <see cref="TimeoutException"/> that says so. From 0 to <see cref="MaxBusyTimeout"/>. Default 5 s.
    /// Microsoft.Data.Sqlite also retries a busy statement itself for its command timeout, which counts in whole
    /// seconds (at least 1), so a wait shorter than a second lasts about a second.
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often <see cref="SqliteWeaverStore.WaitForWorkAsync"/> wakes to let its caller look for work (SQLite has no
    /// notifications; another process's submissions are seen at the next poll). Measured by <see cref="TimeProvider"/>.
    /// More than zero and at most <see cref="MaxPollInterval"/>. Default 1 s.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Where retry jitter comes from: a function returning a value in [0, 1). <see cref="Random.Shared"/> when null.</summary>
    public Func<double>? JitterSource { get; init; }

    /// <summary>Where the store logs rows it cannot read and skips. No logging when null.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> that says what is wrong and what is allowed.</summary>
    /// <returns>These options, for chaining.</returns>
    public SqliteStoreOptions Validate()
    {
        var hasPath = !string.IsNullOrWhiteSpace(Path);
        var hasConnectionString = !string.IsNullOrWhiteSpace(ConnectionString);
        if (hasPath == hasConnectionString)
        {
            throw new ArgumentException(
                hasPath
                    ? "Set either Path or ConnectionString, not both: they would name the database twice."
                    : "Set Path (the database file) or ConnectionString (a Microsoft.Data.Sqlite connection string with a Data Source); both are empty.",
                hasPath ? nameof(ConnectionString) : nameof(Path));
        }

        _ = DataSource; // checks what the connection string or path names

        if (Leases is null)
        {
            throw new ArgumentException("Leases must not be null; use LeaseOptions.Default for the defaults.", nameof(Leases));
        }

        Leases.Validate();
        if (BusyTimeout < TimeSpan.Zero || BusyTimeout > MaxBusyTimeout)
        {
            throw new ArgumentException(
                $"BusyTimeout must be from 0 to {MaxBusyTimeout} (how long a statement waits for another connection's write); it is {BusyTimeout}.",
                nameof(BusyTimeout));
        }

        if (PollInterval <= TimeSpan.Zero || PollInterval > MaxPollInterval)
        {
            throw new ArgumentException(
                $"PollInterval must be more than zero and at most {MaxPollInterval} (how often an idle worker looks for work); it is {PollInterval}.",
                nameof(PollInterval));
        }

        return this;
    }

    /// <summary>The connection string the store's own connections use: pooling off (the store pools), the timeout set.</summary>
    internal string BuildConnectionString()
    {
        var builder = string.IsNullOrWhiteSpace(ConnectionString)
            ? new SqliteConnectionStringBuilder { DataSource = Path }
            : new SqliteConnectionStringBuilder(ConnectionString);

        // The store keeps its own open connections; the library's pool would keep the file open after DisposeAsync.
        builder.Pooling = false;
        builder.DefaultTimeout = CommandTimeoutSeconds;
        return builder.ConnectionString;
    }

    /// <summary>
    /// Microsoft.Data.Sqlite retries a busy statement until its command timeout, in whole seconds (0 would mean forever):
    /// at least 1, and no shorter than <see cref="BusyTimeout"/>, so that SQLite's own busy handler does the waiting.
    /// </summary>
    internal int CommandTimeoutSeconds => Math.Max(1, (int)Math.Ceiling(BusyTimeout.TotalSeconds));

    /// <summary>The file the store opens, for messages.</summary>
    internal string DataSource => string.IsNullOrWhiteSpace(ConnectionString) ? CheckPath(Path!) : DataSourceOf(ConnectionString);

    private static string CheckPath(string path) =>
        string.Equals(path.Trim(), ":memory:", StringComparison.Ordinal)
            ? throw new ArgumentException(
                "Path names an in-memory database (':memory:'); the store needs a database file that its connections (and other processes) share.",
                nameof(Path))
            : path;

    private static string DataSourceOf(string connectionString)
    {
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException error)
        {
            throw new ArgumentException(
                $"ConnectionString cannot be read as a Microsoft.Data.Sqlite connection string ({error.Message}); expected, for example, 'Data Source=/var/lib/weaver/weaver.db'.",
                nameof(ConnectionString),
                error);
        }

        if (string.IsNullOrWhiteSpace(builder.DataSource))
        {
            throw new ArgumentException(
                "ConnectionString names no database file: set its Data Source, for example 'Data Source=/var/lib/weaver/weaver.db'.",
                nameof(ConnectionString));
        }

        if (builder.Mode == SqliteOpenMode.Memory || string.Equals(builder.DataSource, ":memory:", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                "ConnectionString names an in-memory database; the store needs a database file that its connections (and other processes) share.",
                nameof(ConnectionString));
        }

        if (builder.Mode == SqliteOpenMode.ReadOnly)
        {
            throw new ArgumentException(
                "ConnectionString opens the database read-only (Mode=ReadOnly); the store writes every claim and commit, so use ReadWrite or ReadWriteCreate.",
                nameof(ConnectionString));
        }

        return builder.DataSource;
    }
}
