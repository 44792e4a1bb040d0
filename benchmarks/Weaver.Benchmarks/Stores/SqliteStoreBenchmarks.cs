using BenchmarkDotNet.Attributes;
using Weaver.Sqlite;

namespace Weaver.Benchmarks.Stores;

/// <summary>
/// Issue 9, point 4, on SQLite: one worker loop claims <see cref="StoreBenchmark.Batch"/> tasks at a time and completes each, until
/// the <see cref="StoreBenchmark.Tasks"/> tasks queued before the invocation are done. Weaver's <see cref="SqliteWeaverStore"/> through
/// <see cref="IWeaverStore"/>, against the same queue in plain SQL on one connection (<see cref="SqliteQueue"/>, the
/// floor and the baseline). There is no Hangfire row: Hangfire has no SQLite storage of its own, and the peer
/// is Hangfire.PostgreSql.
/// </summary>
/// <remarks>
/// Each case gets a database file of its own under the temp folder, deleted by the cleanup. The tasks are queued by the
/// iteration setup, which is not measured; BenchmarkDotNet then runs one invocation per iteration. Mean and Allocated
/// are per invocation; the per-task columns divide them by <see cref="StoreBenchmark.Tasks"/>. Every row checks that it processed each
/// queued task exactly once.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(PerTaskColumn.Config))]
public class SqliteStoreBenchmarks : StoreBenchmark
{
    private DirectoryInfo _folder = null!;
    private SqliteWeaverStore _weaver = null!;
    private SqliteQueue _floor = null!;
    private int _round;

    /// <summary>The floor's file and table.</summary>
    [GlobalSetup(Target = nameof(PlainSql))]
    public void SetupFloor()
    {
        _folder = Directory.CreateTempSubdirectory("weaver-bench-sqlite-");
        _floor = new SqliteQueue(Path.Combine(_folder.FullName, "floor.db"), TimeProvider.System);
        _floor.Create();
    }

    /// <summary>Weaver's store, on a file of its own (its migrations run here).</summary>
    [GlobalSetup(Target = nameof(Weaver))]
    public void SetupWeaver()
    {
        _folder = Directory.CreateTempSubdirectory("weaver-bench-sqlite-");
        _weaver = SqliteWeaverStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(_folder.FullName, "weaver.db") }).GetAwaiter().GetResult();
    }

    /// <summary>Queues the floor's tasks.</summary>
    [IterationSetup(Target = nameof(PlainSql))]
    public void QueueFloor() => _floor.Queue(Tasks);

    /// <summary>Queues Weaver's tasks.</summary>
    [IterationSetup(Target = nameof(Weaver))]
    public void QueueWeaver() => WeaverStoreWork.QueueAsync(_weaver, "round-" + _round++, Tasks).GetAwaiter().GetResult();

    /// <summary>Closes the database and deletes its folder.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _floor?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _weaver?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _folder?.Delete(recursive: true);
    }

    /// <summary>The floor: one <c>UPDATE ... RETURNING</c> claim and one conditional completion per task, in SQL.</summary>
    /// <returns>The sum of the tasks' numbers.</returns>
    [Benchmark(Baseline = true)]
    public long PlainSql() => _floor.ClaimAndComplete(Batch, Tasks);

    /// <summary>Weaver: <see cref="IWeaverStore.ClaimAsync"/> of <see cref="StoreBenchmark.Batch"/>, then <see cref="IWeaverStore.CompleteAsync"/> of each.</summary>
    /// <returns>The sum of the tasks' numbers.</returns>
    [Benchmark]
    public Task<long> Weaver() => WeaverStoreWork.ClaimAndCompleteAsync(_weaver, Batch, Tasks);
}
