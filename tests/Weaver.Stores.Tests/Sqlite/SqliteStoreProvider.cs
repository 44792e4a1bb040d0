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

    /// <summary>Disposes every store made here and deletes their files.</summary>
    /// <returns>A task.</returns>
    public ValueTask DisposeAsync() => _folder.DisposeAsync();
}
