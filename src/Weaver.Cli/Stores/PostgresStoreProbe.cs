using System.Net.Sockets;
using Npgsql;

namespace Weaver.Cli.Stores;

/// <summary>
/// Checks, with reads only, that the server is reachable and that the schema holds a Weaver store before
/// <see cref="Weaver.PostgreSql.PostgreSqlWeaverStore"/> opens it: the store creates its schema and tables when they are
/// missing, and a command that only reads must not leave an empty store behind a mistyped <c>--schema</c> (ADR 0023).
/// </summary>
internal static class PostgresStoreProbe
{
    /// <summary>Tables every version of the store's schema has (its first migration and its migrations table).</summary>
    private static readonly string[] StoreTables = ["schema_migrations", "tasks", "jobs", "resource_locks"];

    /// <summary>Throws a <see cref="CliException"/> that says what is wrong unless the schema holds a Weaver store.</summary>
    /// <param name="store">The store's location.</param>
    /// <param name="cancellationToken">Stops the check.</param>
    /// <returns>A task that completes when the store was found.</returns>
    /// <exception cref="CliException">The server is unreachable or refuses, or the schema is missing or not a Weaver store (<see cref="ExitCodes.StoreUnavailable"/>).</exception>
    public static async Task CheckAsync(StoreLocation.Postgres store, CancellationToken cancellationToken)
    {
        IReadOnlyList<string>? tables;
        try
        {
            tables = await ReadTableNamesAsync(store, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw Describe(store, error);
        }

        if (tables is null)
        {
            throw CliException.Store(
                $"The PostgreSQL database ({store.Server}) has no schema '{store.Schema}', so no Weaver store there. Give the schema your "
                + $"workers use with --schema NAME or {StoreOptions.SchemaVariable} (the default is '{StoreOptions.DefaultSchema}'); weaver only reads stores and never creates one.");
        }

        var missing = StoreTables.Where(table => !tables.Contains(table, StringComparer.Ordinal)).ToList();
        if (missing.Count > 0)
        {
            var found = tables.Count == 0 ? "it has no tables" : $"its tables are {string.Join(", ", tables)}";
            throw CliException.Store(
                $"The schema '{store.Schema}' ({store.Server}) is not a Weaver store: it lacks the table(s) {string.Join(", ", missing)} ({found}). "
                + $"Give the schema your workers use with --schema NAME or {StoreOptions.SchemaVariable}.");
        }
    }

    /// <summary>The error for a call to the server that failed: unreachable, refused, or failed otherwise.</summary>
    /// <param name="store">The store.</param>
    /// <param name="error">What Npgsql (or the store) threw.</param>
    /// <returns>The error to print.</returns>
    public static CliException Describe(StoreLocation.Postgres store, Exception error)
    {
        if (error is PostgresException refused)
        {
            return CliException.Store(
                $"The PostgreSQL server ({store.Server}) refused: {refused.MessageText} (SQLSTATE {refused.SqlState}). "
                + "Check the connection string's Username, Password and Database.",
                error);
        }

        if (Unreachable(error))
        {
            return CliException.Store(
                $"Cannot reach the PostgreSQL server at {store.Server}: {Innermost(error).Message}. Check that the server is up and listening "
                + "there, and the connection string's Host and Port (a slow network may need a longer Timeout=SECONDS in it).",
                error);
        }

        return CliException.Store($"Cannot read {store.Description}: {error.Message}", error);
    }

    private static bool Unreachable(Exception error)
    {
        for (var current = (Exception?)error; current is not null; current = current.InnerException)
        {
            if (current is SocketException or TimeoutException or EndOfStreamException)
            {
                return true;
            }
        }

        return error is NpgsqlException { IsTransient: true };
    }

    private static Exception Innermost(Exception error)
    {
        var current = error;
        while (current.InnerException is not null)
        {
            current = current.InnerException;
        }

        return current;
    }

    /// <summary>The schema's table names; null when the schema does not exist.</summary>
    private static async Task<IReadOnlyList<string>?> ReadTableNamesAsync(StoreLocation.Postgres store, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(store.ConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = @schema)", connection))
        {
            exists.Parameters.AddWithValue("schema", store.Schema);
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
            {
                return null;
            }
        }

        await using var command = new NpgsqlCommand(
            """
            SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = @schema AND c.relkind IN ('r', 'p') ORDER BY c.relname
            """,
            connection);
        command.Parameters.AddWithValue("schema", store.Schema);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var tables = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }
}
