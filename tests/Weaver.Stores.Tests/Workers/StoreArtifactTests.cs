using Microsoft.Extensions.Time.Testing;
using Weaver.Stores.Tests.Conformance;
using Weaver.Stores.Tests.InMemory;
using Weaver.Stores.Tests.Postgres;
using Weaver.Stores.Tests.Sqlite;

namespace Weaver.Stores.Tests.Workers;

/// <summary>
/// A store-backed worker group with <see cref="WorkerGroupOptions.Artifacts"/> stores each artifact's content in the
/// shared folder and its metadata in the store, fenced by the attempt's lease: the store lists what an attempt recorded
/// while it held the lease, a zombie's put is rejected, throws and is recorded in the task's history, and a group with
/// no artifact store says how to turn them on (ADR 0024).
/// </summary>
public abstract class StoreArtifactTests(StoreProvider provider) : IAsyncLifetime
{
    private const string Kind = "echo";
    private readonly StoreSetup _setup = StoreSetup.Default();
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("weaver-store-artifacts-");
    private readonly ArtifactProbe _probe = new();
    private readonly TaskPayloads _payloads = new();
    private IWeaverStore _store = null!;
    private WorkerGroup? _group;

    public async Task InitializeAsync() => _store = await provider.CreateAsync(_setup);

    public async Task DisposeAsync()
    {
        _probe.Gate.TrySetResult();
        if (_group is not null)
        {
            await _group.StopAsync(TimeSpan.Zero);
        }

        await _store.DisposeAsync();
        if (provider is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        _folder.Delete(recursive: true);
    }

    [StoreFact]
    public async Task A_job_tasks_artifacts_are_listed_by_the_store_and_read_back_from_the_shared_folder()
    {
        var artifacts = new ArtifactStore(_folder.FullName);
        Start(artifacts, _setup.Time);
        await SubmitAsync("job-1/build", new ArtifactOrder("compiled"), new JobTaskRef(new JobId("job-1"), "build"));

        var done = await StorePolling.UntilEndedAsync(_store, "job-1/build");

        Assert.Equal(TaskLifecycle.State.Succeeded, done.State);
        var listed = await _store.ListArtifactsAsync("job-1", "build");
        Assert.Equal(["summary.md", AttemptArtifacts.StdoutName, "pull-request"], listed.Select(a => a.Name));
        Assert.All(listed, a => Assert.Equal(("job-1", "build", 1), (a.JobId, a.TaskId, a.Attempt)));
        Assert.Equal([ArtifactKind.File, ArtifactKind.Stdout, ArtifactKind.Url], listed.Select(a => a.Kind));
        Assert.Equal("summary: compiled"u8.ToArray(), await artifacts.ReadAllBytesAsync(listed[0]));
        Assert.Equal("built compiled\n"u8.ToArray(), await artifacts.ReadAllBytesAsync(listed[1]));
        Assert.Equal(new Uri("https://example.com/pr/1"), listed[2].Url);

        // The handler's own list is read from the store, and the shared folder keeps no metadata lines of its own.
        Assert.Equal(3, _probe.ListedByHandler);
        Assert.Empty(artifacts.List("job-1"));
    }

    [StoreFact]
    public async Task A_zombies_put_is_rejected_recorded_and_lists_nothing_while_the_next_attempt_records_its_own()
    {
        // The group's clock never moves, so its heartbeats never run: the lease goes stale by the store's clock.
        Start(new ArtifactStore(_folder.FullName), new FakeTimeProvider(_setup.Time.GetUtcNow()));
        await SubmitAsync("zombie", new ArtifactOrder("late", BlockFirstAttempt: true), job: null);
        await _probe.Started.Task.WaitAsync(TimeSpan.FromSeconds(20));

        _setup.Time.Advance(_setup.Leases.StaleAfter + TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, await _store.SweepAsync());
        _probe.Gate.TrySetResult();

        var rejection = await _probe.Rejected.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var done = await StorePolling.UntilEndedAsync(_store, "zombie");

        Assert.Equal(TaskLifecycle.State.Succeeded, done.State);
        Assert.Equal(2, done.Attempts);
        Assert.Equal("zombie", rejection.Key);
        Assert.Equal(1, rejection.Epoch);
        Assert.Contains("write of artifact 'summary.md'", rejection.Message, StringComparison.Ordinal);
        var listed = await _store.ListArtifactsAsync("zombie", "zombie");
        Assert.NotEmpty(listed);
        Assert.All(listed, a => Assert.Equal(2, a.Attempt));
        var history = await _store.GetHistoryAsync("zombie");
        var rejected = Assert.Single(history, e => e.Kind == TaskEventKind.WriteRejected && e.Detail.Contains("write of artifact 'summary.md'", StringComparison.Ordinal));
        Assert.Equal((1, 1L), (rejected.Attempt, rejected.Epoch));
    }

    [StoreFact]
    public async Task Without_an_artifact_store_a_handler_is_told_how_to_turn_them_on()
    {
        Start(artifacts: null, _setup.Time);
        await SubmitAsync("off", new ArtifactOrder("nothing"), job: null);

        var done = await StorePolling.UntilEndedAsync(_store, "off");

        Assert.Equal(TaskLifecycle.State.Dead, done.State);
        Assert.False(_probe.Enabled);
        Assert.Contains("Artifacts are off", done.Error, StringComparison.Ordinal);
        Assert.Contains("WorkerGroupOptions.Artifacts", done.Error, StringComparison.Ordinal);
    }

    private void Start(ArtifactStore? artifacts, TimeProvider groupClock)
    {
        var registry = new HandlerRegistry();
        registry.Add(HandlerRegistration.Create<ArtifactHandler, ArtifactOrder, string>(Kind, () => new ArtifactHandler(_probe)));
        _group = new WorkerGroup(_store, registry, new WorkerGroupOptions
        {
            Concurrency = 1,
            Name = "artifact-worker",
            TimeProvider = groupClock,
            IdleWait = TimeSpan.FromMilliseconds(50),
            Artifacts = artifacts,
        });
        _group.Start();
    }

    // A task taken back from a zombie runs again at once; a failed attempt is not retried.
    private async Task SubmitAsync(string id, ArtifactOrder order, JobTaskRef? job) =>
        await _store.CreateTaskAsync(new NewTask(id, Kind, _payloads.Write(order, typeof(ArtifactOrder)), new RetryPolicy { MaxAttempts = order.BlockFirstAttempt ? 2 : 1, Jitter = 0 })
        {
            Job = job,
        });

    /// <summary>What the handler is told to do.</summary>
    /// <param name="Text">What its artifacts say.</param>
    /// <param name="BlockFirstAttempt">The first attempt waits for the test's gate before it writes anything.</param>
    public sealed record ArtifactOrder(string Text, bool BlockFirstAttempt = false);

    /// <summary>What the handler saw, for the test to wait on.</summary>
    private sealed class ArtifactProbe
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<LeaseLostException> Rejected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Enabled { get; set; } = true;

        public int ListedByHandler { get; set; }
    }

    /// <summary>Writes a file, a chunk of stdout and a link, then lists what it wrote.</summary>
    private sealed class ArtifactHandler(ArtifactProbe probe) : ITaskHandler<ArtifactOrder, string>
    {
        public async ValueTask<string> HandleAsync(ArtifactOrder input, TaskContext context)
        {
            probe.Enabled = context.Artifacts.IsEnabled;
            if (input.BlockFirstAttempt && context.Attempt == 1)
            {
                probe.Started.TrySetResult();
                await probe.Gate.Task; // not cancelled by the lease: this attempt is the zombie that wakes up late
            }

            try
            {
                await context.Artifacts.PutTextAsync("summary.md", $"summary: {input.Text}");
            }
            catch (LeaseLostException lost)
            {
                probe.Rejected.TrySetResult(lost);
                throw;
            }

            await context.Artifacts.WriteStdoutAsync($"built {input.Text}\n");
            context.Artifacts.PutUrl("pull-request", new Uri("https://example.com/pr/1"));
            probe.ListedByHandler = context.Artifacts.List().Count;
            return input.Text;
        }
    }
}

/// <summary><see cref="StoreArtifactTests"/> on the engine's own store.</summary>
public sealed class InMemoryStoreArtifactTests() : StoreArtifactTests(new InMemoryStoreProvider());

/// <summary><see cref="StoreArtifactTests"/> on SQLite.</summary>
public sealed class SqliteStoreArtifactTests() : StoreArtifactTests(new SqliteStoreProvider());

/// <summary><see cref="StoreArtifactTests"/> on PostgreSQL.</summary>
[Collection(PostgresCollection.Name), PostgresStoreSkip]
public sealed class PostgresStoreArtifactTests(PostgresCluster cluster) : StoreArtifactTests(new PostgresStoreProvider(cluster));
