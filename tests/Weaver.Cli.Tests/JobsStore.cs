using Weaver.Sqlite;

namespace Weaver.Cli.Tests;

/// <summary>
/// A SQLite store with three jobs, run through a store-backed <see cref="JobCoordinator"/> and an in-process
/// <see cref="WorkerGroup"/>: <c>build-42</c> succeeded (fetch → build → test); the saga <c>deploy-7</c> failed at
/// <c>charge</c>, so <c>ship</c> is blocked and <c>reserve</c> was compensated; <c>review-3</c> is still running, its
/// first task queued for a kind no worker runs, and its coordinator gone. The store's clock reads a fixed time, so the
/// jobs' stored times are known; its timers are real, so every wait (the workers' poll, the coordinator's) ends.
/// </summary>
public sealed class JobsStore : IAsyncLifetime
{
    /// <summary>
    /// The store's clock: every row's time. Long past, so <c>review-3</c>'s coordinator is stale by any real clock and a
    /// reader that took stale jobs over would take it.
    /// </summary>
    public static readonly DateTimeOffset StoreTime = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly RetryPolicy Once = RetryPolicy.None;

    public JobsStore() => Folder = Directory.CreateTempSubdirectory("weaver-cli-jobs-").FullName;

    /// <summary>The folder of the database file (deleted on dispose).</summary>
    public string Folder { get; }

    /// <summary>The database file.</summary>
    public string Path => System.IO.Path.Combine(Folder, "weaver.db");

    public async Task InitializeAsync()
    {
        var clock = new FixedNow(StoreTime);
        await using var store = await SqliteWeaverStore.OpenAsync(new SqliteStoreOptions { Path = Path, TimeProvider = clock });
        await RunEndedJobsAsync(store, clock);

        // With no worker and no other writer, SQLite creates the first task before the submit returns (it writes
        // synchronously); the coordinator is then disposed as a process that stopped would be.
        using var coordinator = Coordinator(store);
        await coordinator.SubmitJobAsync(new JobSpec(
        [
            new JobTaskSpec("review", StepHandlers.ReviewKind, new Step("review")) { Retry = Once },
            new JobTaskSpec("merge", StepHandlers.StepKind, new Step("merge")) { DependsOn = ["review"], Retry = Once },
        ]) { Id = "review-3" });
        Assert.Equal(TaskLifecycle.State.Queued, (await store.GetTaskAsync("review-3/review"))?.State);
    }

    /// <summary>Runs <c>build-42</c> and <c>deploy-7</c> to their ends on <paramref name="store"/> with a worker group.</summary>
    /// <param name="store">The store.</param>
    /// <param name="workerClock">The workers' clock (the store's, for a store on a fake clock).</param>
    /// <returns>A task that completes when both jobs ended.</returns>
    public static async Task RunEndedJobsAsync(IWeaverStore store, TimeProvider workerClock)
    {
        await using var workers = new WorkerGroup(store, StepHandlers.Workers(), new WorkerGroupOptions
        {
            Concurrency = 2,
            Name = "cli-test-worker",
            TimeProvider = workerClock,
            IdleWait = TimeSpan.FromSeconds(1),
        });
        workers.Start();
        using var coordinator = Coordinator(store);
        var build = await coordinator.SubmitJobAsync(new JobSpec(
        [
            new JobTaskSpec("fetch", StepHandlers.StepKind, new Step("fetch")) { Retry = Once },
            new JobTaskSpec("build", StepHandlers.StepKind, new Step("build")) { DependsOn = ["fetch"], Retry = Once },
            new JobTaskSpec("test", StepHandlers.StepKind, new Step("test")) { DependsOn = ["build"], Retry = Once },
        ]) { Id = "build-42" });
        var deploy = await coordinator.SubmitJobAsync(new JobSpec(
        [
            new JobTaskSpec("reserve", StepHandlers.StepKind, new Step("reserve"))
            {
                Retry = Once,
                Compensation = new CompensationSpec(StepHandlers.UndoKind) { Retry = Once },
            },
            new JobTaskSpec("charge", StepHandlers.StepKind, new Step("charge", Fail: true)) { DependsOn = ["reserve"], Retry = Once },
            new JobTaskSpec("ship", StepHandlers.StepKind, new Step("ship")) { DependsOn = ["charge"], Retry = Once },
        ]) { Id = "deploy-7" });
        await coordinator.WaitForJobAsync(build).WaitAsync(Patience);
        await coordinator.WaitForJobAsync(deploy).WaitAsync(Patience);
    }

    /// <summary>The job's row as stored now.</summary>
    /// <param name="id">The job's id.</param>
    /// <returns>The row.</returns>
    public async Task<StoredJob> ReadJobAsync(string id)
    {
        await using var store = await SqliteWeaverStore.OpenAsync(new SqliteStoreOptions { Path = Path });
        return await store.GetJobAsync(id) ?? throw new InvalidOperationException($"No job '{id}'.");
    }

    private static JobCoordinator Coordinator(IWeaverStore store) => new(
        store,
        StepHandlers.Coordinator(),
        new JobCoordinatorOptions { Owner = "fixture-coordinator", PollInterval = TimeSpan.FromMilliseconds(10) });

    /// <summary>
    /// Always <see cref="StoreTime"/>, with the system's timers and timestamps. A frozen <c>FakeTimeProvider</c> would
    /// leave a worker that missed a wake-up (a submit between its empty claim and its wait) waiting for ever.
    /// </summary>
    private sealed class FixedNow(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }
}
