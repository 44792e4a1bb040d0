using Microsoft.Data.Sqlite;
using Weaver.Sqlite;
using Weaver.Stores.Tests.Conformance;

namespace Weaver.Stores.Tests.Sqlite;

/// <summary>
/// The SQLite provider of the conformance suite: each store gets a fresh database file in a temporary folder of its own,
/// with the setup's clock, leases, jitter and loggers. <see cref="DisposeAsync"/> disposes the stores and deletes the folder.
/// </summary>
public sealed class SqliteStoreProvider : StoreProvider, IAsyncDisposable
{
    private readonly SqliteTestFolder _folder = new();
    private int _stores;

    /// <inheritdoc/>
    public override string Name => "SQLite";

    /// <inheritdoc/>
    public override async Task<IWeaverStore> CreateAsync(StoreSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var name = $"store-{Interlocked.Increment(ref _stores)}.db";
        var options = _folder.Options(setup, name) with { JitterSource = setup.JitterSource, LoggerFactory = setup.Logs };
        var store = _folder.Store(options);

        // Opened now, so that a store that cannot build its schema fails here rather than in the test's first call.
        await store.NowAsync();
        await store.ListJobsAsync();
        return store;
    }

    /// <inheritdoc/>
    public override async Task CorruptTaskStateAsync(IWeaverStore store, string taskId, string state)
    {
        var sqlite = Assert.IsType<SqliteWeaverStore>(store);
        await using var raw = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = sqlite.DataSource, Pooling = false }.ConnectionString);
        await raw.OpenAsync();
        await using var command = raw.CreateCommand();
        command.CommandText = "UPDATE tasks SET state = $state WHERE id = $id";
        command.Parameters.AddWithValue("$state", state);
        command.Parameters.AddWithValue("$id", taskId);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    /// <summary>Disposes every store made here and deletes their files.</summary>
    /// <returns>A task.</returns>
    public ValueTask DisposeAsync() => _folder.DisposeAsync();
}
