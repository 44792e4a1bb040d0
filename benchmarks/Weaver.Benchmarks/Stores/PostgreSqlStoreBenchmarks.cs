using BenchmarkDotNet.Attributes;
using Weaver.PostgreSql;

namespace Weaver.Benchmarks.Stores;

/// <summary>
/// Issue 9, point 4, on PostgreSQL: one worker loop claims <see cref="StoreBenchmark.Batch"/> tasks at a time and completes each, until
/// the <see cref="StoreBenchmark.Tasks"/> tasks queued before the invocation are done. Weaver's <see cref="PostgreSqlWeaverStore"/>
/// through <see cref="IWeaverStore"/>, against a plain <c>FOR UPDATE SKIP LOCKED</c> loop (<see cref="SkipLockedQueue"/>,
/// the floor and the baseline) and Hangfire on Hangfire.PostgreSql (<see cref="HangfirePostgreSqlQueue"/>).
/// </summary>
/// <remarks>
/// <para>The server is started the way the store tests start theirs (<see cref="BenchmarkPostgres"/>), and each case
/// gets a database of its own. The tasks are queued by the iteration setup, which is not measured; BenchmarkDotNet then
/// runs one invocation per iteration. Mean and Allocated are per invocation; the per-task columns divide them by
/// <see cref="StoreBenchmark.Tasks"/>.</para>
/// <para>Every row checks that it processed each queued task exactly once.</para>
/// </remarks>
[MemoryDiagnoser]
[RequiresPostgreSql]
[Config(typeof(PerTaskColumn.Config))]
public class PostgreSqlStoreBenchmarks : StoreBenchmark
{
    private PostgreSqlWeaverStore _weaver = null!;
    private SkipLockedQueue _floor = null!;
    private HangfirePostgreSqlQueue _hangfire = null!;
    private int _round;

    /// <summary>The floor's table, in a database of its own.</summary>
    [GlobalSetup(Target = nameof(SkipLocked))]
    public void SetupFloor()
    {
        _floor = new SkipLockedQueue(BenchmarkPostgres.NewDatabaseAsync("bench_floor").GetAwaiter().GetResult());
        _floor.CreateAsync().GetAwaiter().GetResult();
    }

    /// <summary>Weaver's store, on a database of its own (its migrations run here).</summary>
    [GlobalSetup(Target = nameof(Weaver))]
    public void SetupWeaver() => _weaver = PostgreSqlWeaverStore.OpenAsync(new PostgreSqlStoreOptions
    {
        ConnectionString = BenchmarkPostgres.NewDatabaseAsync("bench_weaver").GetAwaiter().GetResult(),
    }).GetAwaiter().GetResult();

    /// <summary>Hangfire's storage, on a database of its own (its schema is installed here).</summary>
    [GlobalSetup(Target = nameof(Hangfire))]
    public void SetupHangfire() => _hangfire = new HangfirePostgreSqlQueue(BenchmarkPostgres.NewDatabaseAsync("bench_hangfire").GetAwaiter().GetResult());

    /// <summary>Queues the floor's tasks.</summary>
    [IterationSetup(Target = nameof(SkipLocked))]
    public void QueueFloor() => _floor.QueueAsync(Tasks).GetAwaiter().GetResult();

    /// <summary>Queues Weaver's tasks.</summary>
    [IterationSetup(Target = nameof(Weaver))]
    public void QueueWeaver() => WeaverStoreWork.QueueAsync(_weaver, "round-" + _round++, Tasks).GetAwaiter().GetResult();

    /// <summary>Enqueues Hangfire's jobs.</summary>
    [IterationSetup(Target = nameof(Hangfire))]
    public void QueueHangfire() => _hangfire.Queue(Tasks);

    /// <summary>Closes whatever the case opened.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _floor?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _weaver?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _hangfire?.Dispose();
    }

    /// <summary>The floor: a plain <c>FOR UPDATE SKIP LOCKED</c> claim and a conditional completion, in SQL.</summary>
    /// <returns>The sum of the tasks' numbers.</returns>
    [Benchmark(Baseline = true)]
    public Task<long> SkipLocked() => _floor.ClaimAndCompleteAsync(Batch, Tasks);

    /// <summary>Weaver: <see cref="IWeaverStore.ClaimAsync"/> of <see cref="StoreBenchmark.Batch"/>, then <see cref="IWeaverStore.CompleteAsync"/> of each.</summary>
    /// <returns>The sum of the tasks' numbers.</returns>
    [Benchmark]
    public Task<long> Weaver() => WeaverStoreWork.ClaimAndCompleteAsync(_weaver, Batch, Tasks);

    /// <summary>Hangfire.PostgreSql: its worker step (fetch, Processing, run, Succeeded, remove from the queue), one job at a time.</summary>
    /// <returns>The sum of the jobs' arguments.</returns>
    [Benchmark]
    public long Hangfire() => _hangfire.FetchAndComplete(Tasks);
}
