using Weaver;
using Weaver.PostgreSql;
using Weaver.Sqlite;

namespace AgentFleet.Fleet;

/// <summary>Opens the store the fleet shares, and says where it is.</summary>
public static class FleetStore
{
    /// <summary>How often an idle agent looks for work on SQLite, which cannot notify (PostgreSQL and memory wake agents at once).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Opens (and for SQLite creates) the store of <paramref name="options"/>.</summary>
    /// <param name="options">The fleet's options.</param>
    /// <param name="handlers">The handlers: the in-memory engine runs only kinds it knows.</param>
    /// <param name="cancellationToken">Stops opening.</param>
    /// <returns>The open store.</returns>
    /// <exception cref="StoreUnavailableException">The store could not be opened; the message says what to do.</exception>
    public static async Task<IWeaverStore> OpenAsync(FleetOptions options, HandlerRegistry handlers, CancellationToken cancellationToken)
    {
        try
        {
            switch (options.Store)
            {
                case StoreKind.Memory:
                    return new TaskEngine(handlers, new TaskEngineOptions { Leases = options.Leases });
                case StoreKind.Sqlite:
                    Directory.CreateDirectory(options.Data);
                    return await SqliteWeaverStore.OpenAsync(
                        new SqliteStoreOptions { Path = options.DatabasePath, Leases = options.Leases, PollInterval = PollInterval },
                        cancellationToken);
                default:
                    return await PostgreSqlWeaverStore.OpenAsync(
                        new PostgreSqlStoreOptions
                        {
                            ConnectionString = options.Connection!,
                            Leases = options.Leases,
                            Reconnect = new PostgreSqlReconnectOptions { MaxRetries = 2 },
                        },
                        cancellationToken);
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            throw new StoreUnavailableException(Describe(options), error);
        }
    }

    /// <summary>
    /// Opens the store as <see cref="OpenAsync"/> does, or, when it cannot be opened, writes why and what to do to
    /// standard error and returns null.
    /// </summary>
    /// <param name="options">The fleet's options.</param>
    /// <param name="handlers">The handlers: the in-memory engine runs only kinds it knows.</param>
    /// <returns>The open store, or null after saying why there is none.</returns>
    public static async Task<IWeaverStore?> OpenOrReportAsync(FleetOptions options, HandlerRegistry handlers)
    {
        try
        {
            return await OpenAsync(options, handlers, CancellationToken.None);
        }
        catch (StoreUnavailableException error)
        {
            await Console.Error.WriteLineAsync($"error: {error.Message}");
            await Console.Error.WriteLineAsync(error.Advice);
            return null;
        }
    }

    /// <summary>Where the store is, for people: the SQLite file, the PostgreSQL server (without its password) or memory.</summary>
    /// <param name="options">The fleet's options.</param>
    /// <returns>The text.</returns>
    public static string Describe(FleetOptions options) => options.Store switch
    {
        StoreKind.Memory => "memory (this process only: nothing is kept after it ends)",
        StoreKind.Sqlite => $"SQLite file {options.DatabasePath}",
        _ => $"PostgreSQL {WithoutPassword(options.Connection!)}",
    };

    /// <summary>Removes the SQLite file (and its journal) and the artifacts, so the next run starts over.</summary>
    /// <param name="options">The fleet's options.</param>
    public static void Delete(FleetOptions options)
    {
        foreach (var file in new[] { options.DatabasePath, options.DatabasePath + "-wal", options.DatabasePath + "-shm" })
        {
            File.Delete(file);
        }

        if (Directory.Exists(options.ArtifactsPath))
        {
            Directory.Delete(options.ArtifactsPath, recursive: true);
        }
    }

    private static string WithoutPassword(string connection)
    {
        try
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(connection) { Password = null };
            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            return "(a connection string that does not parse)";
        }
    }
}

/// <summary>The fleet's store could not be opened.</summary>
public sealed class StoreUnavailableException(string store, Exception inner)
    : Exception($"The store could not be opened ({store}): {inner.GetType().Name}: {inner.Message}", inner)
{
    /// <summary>What to do about it.</summary>
    public string Advice { get; } = store.StartsWith("PostgreSQL", StringComparison.Ordinal)
        ? "Check that the server runs and the connection string is right, or run with --store sqlite (the default) or --store memory."
        : "Check that the data folder can be written (--data <folder>), or start over with --fresh.";
}
