using Weaver.PostgreSql;
using Weaver.Sqlite;

namespace Weaver.Cli.Stores;

/// <summary>Opens the store a command reads, once its probe found a Weaver store there.</summary>
internal static class StoreConnector
{
    /// <summary>
    /// A PostgreSQL call that fails is tried again this often: enough to ride out a blip, short enough that a person at the
    /// terminal hears about a server that went away within seconds (workers retry far longer).
    /// </summary>
    private static readonly PostgreSqlReconnectOptions Reconnect = new()
    {
        MaxRetries = 2,
        InitialDelay = TimeSpan.FromMilliseconds(200),
        MaxDelay = TimeSpan.FromSeconds(1),
    };

    /// <summary>Checks the store is there and opens it.</summary>
    /// <param name="location">Where the store is.</param>
    /// <param name="cancellationToken">Stops opening.</param>
    /// <returns>The open store; the caller disposes it.</returns>
    /// <exception cref="CliException">The store is missing, not a Weaver store or unreachable (<see cref="ExitCodes.StoreUnavailable"/>).</exception>
    public static async Task<IWeaverStore> OpenAsync(StoreLocation location, CancellationToken cancellationToken)
    {
        switch (location)
        {
            case StoreLocation.Sqlite sqlite:
                SqliteStoreProbe.Check(sqlite);
                try
                {
                    return await SqliteWeaverStore.OpenAsync(new SqliteStoreOptions { Path = sqlite.FullPath }, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception error) when (error is InvalidOperationException or TimeoutException && !cancellationToken.IsCancellationRequested)
                {
                    // A schema newer than this weaver knows, a file that cannot use WAL, a file locked for too long.
                    throw CliException.Store($"Cannot open {location.Description}: {error.Message}", error);
                }

            case StoreLocation.Postgres postgres:
                await PostgresStoreProbe.CheckAsync(postgres, cancellationToken).ConfigureAwait(false);
                try
                {
                    return await PostgreSqlWeaverStore.OpenAsync(
                        new PostgreSqlStoreOptions { ConnectionString = postgres.ConnectionString, Schema = postgres.Schema, Reconnect = Reconnect },
                        cancellationToken).ConfigureAwait(false);
                }
                catch (Exception error) when (error is PostgreSqlStoreUnavailableException or InvalidOperationException or Npgsql.NpgsqlException
                    && !cancellationToken.IsCancellationRequested)
                {
                    // Unreachable since the probe, or a schema newer than this weaver knows.
                    throw PostgresStoreProbe.Describe(postgres, error);
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(location), location, "A store is SQLite or PostgreSQL.");
        }
    }
}
