using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Weaver.Cli.Stores;

/// <summary>
/// Checks, read-only, that a file is a Weaver SQLite store before <see cref="Weaver.Sqlite.SqliteWeaverStore"/> opens it.
/// The store builds its schema in any file it opens (creating the file if it is missing): a command that only reads must
/// never turn a wrong path into an empty store, or a stranger's database into a half-Weaver one (ADR 0023).
/// </summary>
internal static class SqliteStoreProbe
{
    /// <summary>
    /// Tables every version of the store's schema has (<c>SqliteSchema</c>'s first migration and its version table). A
    /// file without them was not made by <see cref="Weaver.Sqlite.SqliteWeaverStore"/>.
    /// </summary>
    private static readonly string[] StoreTables = ["schema_version", "tasks", "jobs", "resource_locks"];

    /// <summary>Throws a <see cref="CliException"/> that says what is wrong unless the file is a Weaver store.</summary>
    /// <param name="store">The store's location.</param>
    /// <exception cref="CliException">The file is missing, a folder, unreadable, not SQLite, or not a Weaver store (<see cref="ExitCodes.StoreUnavailable"/>).</exception>
    public static void Check(StoreLocation.Sqlite store)
    {
        var path = store.FullPath;
        if (Directory.Exists(path))
        {
            throw CliException.Store(
                $"'{path}' is a folder; --sqlite takes the store's database file (the Path your workers give SqliteWeaverStore), such as '{Path.Combine(path, "weaver.db")}'.");
        }

        if (!File.Exists(path))
        {
            throw CliException.Store(
                $"No SQLite store at '{path}': the file does not exist. Give the database file your workers use (the Path they give "
                + $"SqliteWeaverStore), with --sqlite PATH or {StoreOptions.SqliteVariable}; weaver only reads stores and never creates one.");
        }

        IReadOnlyList<string> tables;
        try
        {
            tables = ReadTableNames(path);
        }
        catch (SqliteException error) when ((error.SqliteErrorCode & 0xFF) == raw.SQLITE_NOTADB)
        {
            throw CliException.Store(
                $"'{path}' is not a SQLite database (SQLite said: {error.Message.TrimEnd('.')}). Give the database file your workers use (the Path they give SqliteWeaverStore).",
                error);
        }
        catch (SqliteException error)
        {
            throw CliException.Store(
                $"Cannot read the SQLite database '{path}' (SQLite said: {error.Message.TrimEnd('.')}). Check that this user may read the file and its folder.",
                error);
        }

        var missing = StoreTables.Where(table => !tables.Contains(table, StringComparer.Ordinal)).ToList();
        if (missing.Count > 0)
        {
            var found = tables.Count == 0 ? "it has no tables" : $"its tables are {string.Join(", ", tables)}";
            throw CliException.Store(
                $"'{path}' is a SQLite database but not a Weaver store: it lacks the table(s) {string.Join(", ", missing)} ({found}). "
                + "Give the database file your workers open with SqliteWeaverStore.");
        }
    }

    private static List<string> ReadTableNames(string path)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
        using var reader = command.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }
}
