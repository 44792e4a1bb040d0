using Microsoft.Data.Sqlite;
using Weaver.Sqlite;
using Weaver.Stores.Tests.Conformance;

namespace Weaver.Stores.Tests.Sqlite;

/// <summary>
/// A temporary folder for SQLite database files: the stores made through it are disposed, and the folder deleted, when
/// it is disposed.
/// </summary>
public sealed class SqliteTestFolder : IAsyncDisposable
{
    private readonly List<SqliteWeaverStore> _stores = [];

    /// <summary>Creates an empty folder under the system's temporary folder.</summary>
    public SqliteTestFolder() => FolderPath = Directory.CreateTempSubdirectory("weaver-sqlite-").FullName;

    /// <summary>The folder.</summary>
    public string FolderPath { get; }

    /// <summary>A database file's path in the folder.</summary>
    /// <param name="name">The file's name.</param>
    /// <returns>The path.</returns>
    public string FilePath(string name = "weaver.db") => Path.Combine(FolderPath, name);

    /// <summary>Options for a store on <paramref name="name"/> that follow <paramref name="setup"/>'s clock and leases.</summary>
    /// <param name="setup">The clock and the lease timing.</param>
    /// <param name="name">The database file's name.</param>
    /// <returns>The options.</returns>
    public SqliteStoreOptions Options(StoreSetup setup, string name = "weaver.db") =>
        new() { Path = FilePath(name), Leases = setup.Leases, TimeProvider = setup.Time, JitterSource = () => 0.5 };

    /// <summary>A store on <paramref name="options"/>, disposed with the folder.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The store.</returns>
    public SqliteWeaverStore Store(SqliteStoreOptions options)
    {
        var store = new SqliteWeaverStore(options);
        lock (_stores)
        {
            _stores.Add(store);
        }

        return store;
    }

    /// <summary>A store on <paramref name="name"/> that follows <paramref name="setup"/>, disposed with the folder.</summary>
    /// <param name="setup">The clock and the lease timing.</param>
    /// <param name="name">The database file's name.</param>
    /// <returns>The store.</returns>
    public SqliteWeaverStore Store(StoreSetup setup, string name = "weaver.db") => Store(Options(setup, name));

    /// <summary>A raw connection to a database file of the folder, for corrupting rows and reading the schema.</summary>
    /// <param name="name">The database file's name.</param>
    /// <returns>The open connection; the caller disposes it.</returns>
    public async Task<SqliteConnection> OpenRawAsync(string name = "weaver.db")
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = FilePath(name), Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Disposes the stores and deletes the folder.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        SqliteWeaverStore[] stores;
        lock (_stores)
        {
            stores = [.. _stores];
        }

        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }

        Directory.Delete(FolderPath, recursive: true);
    }
}
