using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Weaver.PostgreSql;

/// <summary>How a <see cref="PostgreSqlWeaverStore"/> connects, where its tables live and how it judges time.</summary>
public sealed partial record PostgreSqlStoreOptions
{
    /// <summary>The longest schema name allowed (the notification channel adds a suffix, and PostgreSQL names stop at 63 bytes).</summary>
    public const int MaxSchemaLength = 50;

    /// <summary>An Npgsql connection string to the database that holds the store; required.</summary>
    public string ConnectionString { get; init; } = "";

    /// <summary>
    /// The PostgreSQL schema of the store's tables, created at start when missing. A lowercase identifier: letters
    /// <c>a-z</c>, digits and underscores, starting with a letter or underscore, at most <see cref="MaxSchemaLength"/>
    /// characters, not starting with <c>pg_</c>. Default <c>weaver</c>. Several stores may share one database under
    /// different schemas.
    /// </summary>
    public string Schema { get; init; } = "weaver";

    /// <summary>The lease timing of every claim and renewal (and of resource locks).</summary>
    public LeaseOptions Leases { get; init; } = LeaseOptions.Default;

    /// <summary>
    /// <see langword="null"/> (production): the database's clock, <c>now()</c>, judges lease expiry and stamps every row,
    /// so that workers on machines whose clocks disagree still agree on who holds a lease. When set (tests), its time is
    /// passed to every statement instead, rounded up to PostgreSQL's microsecond, so a fake clock drives expiry; the
    /// SQL is the same in both modes. <see cref="PostgreSqlWeaverStore.WaitForWorkAsync"/> times its waits with it too.
    /// </summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>A random number in [0, 1) for the jitter of retry delays; <see cref="Random.Shared"/> when null.</summary>
    public Func<double>? JitterSource { get; init; }

    /// <summary>
    /// Where the store logs (rows it skips, retries, migrations); nothing is logged when null. Npgsql's own logging is
    /// separate: give it a factory with <see cref="ConfigureDataSource"/> and <see cref="NpgsqlDataSourceBuilder.UseLoggerFactory"/>.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// Configures the Npgsql data source before it is built (certificates, password providers, Npgsql's logging, type
    /// mappings); null leaves Npgsql's defaults.
    /// </summary>
    public Action<NpgsqlDataSourceBuilder>? ConfigureDataSource { get; init; }

    /// <summary>How calls ride out a lost connection or a restarting server.</summary>
    public PostgreSqlReconnectOptions Reconnect { get; init; } = new();

    /// <summary>Checks every setting; throws an <see cref="ArgumentException"/> that names the setting, its value and what is allowed.</summary>
    /// <returns>These options, for chaining.</returns>
    public PostgreSqlStoreOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException(
                "ConnectionString is empty; give an Npgsql connection string such as 'Host=db;Database=weaver;Username=weaver;Password=...'.",
                nameof(ConnectionString));
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(ConnectionString);
        }
        catch (Exception error) when (error is ArgumentException or FormatException or KeyNotFoundException or InvalidCastException)
        {
            // The connection string itself is not repeated: it may hold a password.
            throw new ArgumentException($"ConnectionString is not a valid Npgsql connection string: {error.Message}", nameof(ConnectionString), error);
        }

        if (Schema is null || !SchemaName().IsMatch(Schema) || Schema.StartsWith("pg_", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Schema must be a lowercase PostgreSQL identifier: 1 to {MaxSchemaLength} letters a-z, digits and underscores, "
                + $"starting with a letter or underscore and not with 'pg_' (e.g. 'weaver'); it is '{Schema}'.",
                nameof(Schema));
        }

        if (Leases is null)
        {
            throw new ArgumentException("Leases is null; use LeaseOptions.Default or your own lease timing.", nameof(Leases));
        }

        Leases.Validate();
        if (Reconnect is null)
        {
            throw new ArgumentException("Reconnect is null; use new PostgreSqlReconnectOptions() for the defaults.", nameof(Reconnect));
        }

        Reconnect.Validate();
        return this;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,49}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}

/// <summary>
/// How a call rides out a transient failure (a lost connection, a server shutting down or starting, a deadlock or a
/// serialization failure): it is tried again after an exponential backoff, up to <see cref="MaxRetries"/> times, then
/// fails with <see cref="PostgreSqlStoreUnavailableException"/>. Every write is fenced by an epoch or a revision and
/// carries a write id, so a write whose outcome was lost with the connection is looked up before it is tried again
/// and never takes effect twice.
/// </summary>
/// <remarks>The backoff waits on real time (<see cref="TimeProvider.System"/>): it waits for a real server, also when
/// the store's <see cref="PostgreSqlStoreOptions.TimeProvider"/> is a test's fake clock.</remarks>
public sealed record PostgreSqlReconnectOptions
{
    /// <summary>How many times a failed call is tried again; 0 to fail at once. At most 100. Default 8.</summary>
    public int MaxRetries { get; init; } = 8;

    /// <summary>The wait before the first retry; at least 1 ms. Default 100 ms.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between two tries (each wait doubles until it reaches this); at least <see cref="InitialDelay"/>, at most 10 minutes. Default 5 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws an <see cref="ArgumentException"/> that names the setting, its value and what is allowed.</summary>
    /// <returns>These options, for chaining.</returns>
    public PostgreSqlReconnectOptions Validate()
    {
        if (MaxRetries is < 0 or > 100)
        {
            throw new ArgumentException($"Reconnect.MaxRetries must be from 0 (no retry) to 100; it is {MaxRetries}.", nameof(MaxRetries));
        }

        if (InitialDelay < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentException($"Reconnect.InitialDelay must be at least 1 ms; it is {InitialDelay}.", nameof(InitialDelay));
        }

        if (MaxDelay < InitialDelay || MaxDelay > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentException(
                $"Reconnect.MaxDelay must be at least InitialDelay ({InitialDelay}) and at most 10 minutes; it is {MaxDelay}.", nameof(MaxDelay));
        }

        return this;
    }

    /// <summary>The wait before retry <paramref name="retry"/>: <c>min(InitialDelay * 2^(retry - 1), MaxDelay)</c>, plus up to a fifth more by <paramref name="random"/>, never above <see cref="MaxDelay"/>.</summary>
    /// <param name="retry">Which retry, from 1.</param>
    /// <param name="random">A number in [0, 1).</param>
    /// <returns>The wait.</returns>
    public TimeSpan DelayBefore(int retry, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        if (!(random >= 0 && random < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(random), random, $"random must be in [0, 1); it is {random}.");
        }

        var exact = InitialDelay.Ticks * Math.Pow(2, retry - 1) * (1 + (0.2 * random));
        return exact >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)exact);
    }
}
