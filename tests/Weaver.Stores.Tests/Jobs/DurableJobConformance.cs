using System.Text.Json;
using Weaver.Stores.Tests.Conformance;

namespace Weaver.Stores.Tests.Jobs;

/// <summary>
/// Jobs on a store behave the same on every store: they run their graph, decompositions and sagas from the store; every
/// coordinator reads them; a coordinator that stopped is taken over and the job goes on without running a committed task
/// again; and a coordinator that was taken over can no longer write the job.
/// </summary>
public abstract class DurableJobConformance(StoreProvider provider) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly RetryPolicy Once = RetryPolicy.None;
    private readonly StoreSetup _setup = StoreSetup.Default() with { Kinds = JobHandlers.Kinds };
    private readonly JobHandlers _handlers = new();
    private readonly List<JobCoordinator> _coordinators = [];
    private IWeaverStore _store = null!;
    private WorkerGroup _workers = null!;
    private WorkerGroup? _lateWorkers;

    public async Task InitializeAsync()
    {
        _store = await provider.CreateAsync(_setup);
        _workers = new WorkerGroup(_store, _handlers.Workers(), new WorkerGroupOptions
        {
            Concurrency = 3,
            Name = "job-worker",
            TimeProvider = _setup.Time,
            IdleWait = TimeSpan.FromSeconds(1),
        });
        _workers.Start();
    }

    public async Task DisposeAsync()
    {
        _handlers.Gate.TrySetResult();
        foreach (var coordinator in _coordinators)
        {
            coordinator.Dispose();
        }

        await _workers.StopAsync(TimeSpan.Zero);
        if (_lateWorkers is not null)
        {
            await _lateWorkers.StopAsync(TimeSpan.Zero);
        }

        await _store.DisposeAsync();
        if (provider is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    [StoreFact]
    public async Task A_graph_runs_from_the_store_and_every_coordinator_reads_it()
    {
        var coordinator = Coordinator("first");
        var id = await coordinator.SubmitJobAsync(new JobSpec(
        [
            new JobTaskSpec("fetch", JobHandlers.StepKind, new Step("fetch")) { Retry = Once },
            new JobTaskSpec("build", JobHandlers.StepKind, new Step("build")) { DependsOn = ["fetch"], Retry = Once },
            new JobTaskSpec("test", JobHandlers.StepKind, new Step("test")) { DependsOn = ["build"], Retry = Once },
        ]) { Id = "graph" });

        var result = await coordinator.WaitForJobAsync(id).WaitAsync(Patience);

        Assert.Equal(JobLifecycle.State.Succeeded, result.State);
        Assert.Equal(["fetch", "build", "test"], _handlers.Ran);
        Assert.Equal("build", ((JsonElement)result.Results["build"]!).GetProperty("name").GetString());
        var row = await _store.GetJobAsync("graph");
        Assert.Equal("Succeeded", row!.State);

        var reader = Coordinator("reader");
        var status = await reader.GetStatusAsync(id);
        Assert.Equal(JobLifecycle.State.Succeeded, status.State);
        Assert.All(status.Tasks, task => Assert.Equal((JobTaskState.Succeeded, 1), (task.State, task.Attempts)));
        Assert.Equal(["build"], status.Tasks.Single(t => t.TaskId == "test").DependsOn);
        Assert.Equal(JobLifecycle.State.Succeeded, (await reader.WaitForJobAsync(id).WaitAsync(Patience)).State);
        var explanation = await reader.ExplainAsync(id);
        Assert.Contains("succeeded", explanation.Summary, StringComparison.Ordinal);
        Assert.Single(explanation.Tasks.Single(t => t.TaskId == "test").Attempts);
        var events = new List<JobEvent>();
        await foreach (var entry in reader.WatchAsync(id).WithCancellation(new CancellationTokenSource(Patience).Token))
        {
            events.Add(entry);
        }

        Assert.Equal(JobEventKind.Submitted, events[0].Kind);
        Assert.Equal(JobEventKind.JobSucceeded, events[^1].Kind);
        Assert.Contains("t1 --> t2", status.ToMermaid(), StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_decider_splits_a_task_into_children_kept_in_the_store()
    {
        var coordinator = Coordinator("first");
        coordinator.AddDecider(JobHandlers.PlanKind, new JobHandlers.SplitDecider());
        var id = await coordinator.SubmitJobAsync(new JobSpec(
        [
            new JobTaskSpec("plan", JobHandlers.PlanKind, new Step("split")) { Retry = Once },
            new JobTaskSpec("ship", JobHandlers.StepKind, new Step("ship")) { DependsOn = ["plan"], Retry = Once },
        ]));

        var result = await coordinator.WaitForJobAsync(id).WaitAsync(Patience);

        Assert.Equal(JobLifecycle.State.Succeeded, result.State);
        Assert.Equal("ship", _handlers.Ran.Last());
        var status = await Coordinator("reader").GetStatusAsync(id);
        Assert.Equal(["plan", "ship", "plan/a", "plan/b", "plan/c"], status.Tasks.Select(t => t.TaskId));
        Assert.Equal("plan", status.Tasks.Single(t => t.TaskId == "plan/b").Parent);
        Assert.Equal(["plan/a"], status.Tasks.Single(t => t.TaskId == "plan/c").DependsOn);
        var graph = status.ToMermaid();
        Assert.Contains("t0 -.-> t2", graph, StringComparison.Ordinal);
        Assert.Contains("t2 --> t3", graph, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_saga_compensates_its_steps_last_first_from_the_store()
    {
        var coordinator = Coordinator("first");
        var id = await coordinator.SubmitJobAsync(new JobSpec(
        [
            new JobTaskSpec("reserve", JobHandlers.StepKind, new Step("reserve")) { Retry = Once, Compensation = new CompensationSpec(JobHandlers.UndoKind) },
            new JobTaskSpec("charge", JobHandlers.StepKind, new Step("charge")) { DependsOn = ["reserve"], Retry = Once, Compensation = new CompensationSpec(JobHandlers.UndoKind) },
            new JobTaskSpec("ship", JobHandlers.StepKind, new Step("ship", Fail: true)) { DependsOn = ["charge"], Retry = Once },
        ]));

        var result = await coordinator.WaitForJobAsync(id).WaitAsync(Patience);

        Assert.Equal((JobLifecycle.State.Failed, SagaLifecycle.State.Compensated), (result.State, result.Saga));
        Assert.Equal(["charge", "reserve"], _handlers.Undone);
        var status = await Coordinator("reader").GetStatusAsync(id);
        Assert.Equal(SagaLifecycle.State.Compensated, status.Saga);
        Assert.All(status.Compensations, c => Assert.Equal(CompensationState.Succeeded, c.State));
        Assert.Contains("step ship was told to fail", result.Reason, StringComparison.Ordinal);
    }

    // The takeover tests move the store's clock past StaleAfter, which would also make a running task's lease stale; so the
    // job's unfinished task is one of a kind only a late worker runs: it waits in the queue, holding no lease, until then.

    [StoreFact]
    public async Task A_job_whose_coordinator_stopped_is_taken_over_and_no_committed_task_runs_again()
    {
        var first = Coordinator("first");
        var id = await first.SubmitJobAsync(new JobSpec(
        [
            new JobTaskSpec("fetch", JobHandlers.StepKind, new Step("fetch")) { Retry = Once },
            new JobTaskSpec("build", JobHandlers.LaterKind, new Step("build")) { DependsOn = ["fetch"], Retry = Once },
            new JobTaskSpec("test", JobHandlers.StepKind, new Step("test")) { DependsOn = ["build"], Retry = Once },
        ]) { Id = "resumed" });
        await UntilSavedAsQueuedAsync(id, "build");
        first.Dispose(); // its process ended: the job's row says Running, written by "first"

        var second = Coordinator("second");
        Assert.Empty(await second.ResumeAsync()); // not yet: "first" wrote the job too recently
        await Assert.ThrowsAsync<InvalidOperationException>(() => second.CancelJobAsync(id));

        _setup.Time.Advance(_setup.Leases.StaleAfter);
        Assert.Equal([id], await second.ResumeAsync());
        StartLateWorkers();
        var result = await second.WaitForJobAsync(id).WaitAsync(Patience);

        Assert.Equal(JobLifecycle.State.Succeeded, result.State);
        Assert.Equal(["fetch", "build", "test"], _handlers.Ran);
        var status = await second.GetStatusAsync(id);
        Assert.All(status.Tasks, task => Assert.Equal(1, task.Attempts));
        var resumed = await Coordinator("reader").WatchAsync(id).Where(e => e.Kind == JobEventKind.Resumed).SingleAsync();
        Assert.Contains("from 'first' by 'second'", resumed.Detail, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_coordinator_that_was_taken_over_cannot_write_the_job_again()
    {
        var first = Coordinator("first");
        var id = await first.SubmitJobAsync(new JobSpec([new JobTaskSpec("build", JobHandlers.LaterKind, new Step("build")) { Retry = Once }]));
        await UntilSavedAsQueuedAsync(id, "build");

        _setup.Time.Advance(_setup.Leases.StaleAfter);
        var second = Coordinator("second");
        Assert.Equal([id], await second.ResumeAsync());

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => first.AnnotateAsync(id, "by", "first"));
        Assert.Contains("taken over", refused.Message, StringComparison.Ordinal);
        await second.AnnotateAsync(id, "by", "second");
        StartLateWorkers();

        Assert.Equal(JobLifecycle.State.Succeeded, (await first.WaitForJobAsync(id).WaitAsync(Patience)).State);
        var status = await second.GetStatusAsync(id);
        Assert.Equal(["second"], status.Audit.Select(a => a.Value));
    }

    [StoreFact]
    public async Task Bad_ids_and_inputs_are_refused_with_what_was_wrong()
    {
        var coordinator = Coordinator("first");
        await Assert.ThrowsAsync<JobNotFoundException>(() => coordinator.GetStatusAsync(new JobId("nope")));
        var cyclic = new Cyclic();
        cyclic.Next = cyclic;

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => coordinator.SubmitJobAsync(new JobSpec([new JobTaskSpec("loop", JobHandlers.StepKind, cyclic)])));

        Assert.Contains("Task 'loop': its input", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await _store.ListJobsAsync());
        var id = await coordinator.SubmitJobAsync(new JobSpec([new JobTaskSpec("one", JobHandlers.StepKind, new Step("one"))]) { Id = "twice" });
        var duplicate = await Assert.ThrowsAsync<ArgumentException>(() => Coordinator("other").SubmitJobAsync(new JobSpec([new JobTaskSpec("one", JobHandlers.StepKind, new Step("one"))]) { Id = "twice" }));
        Assert.Contains("already exists", duplicate.Message, StringComparison.Ordinal);
        await coordinator.WaitForJobAsync(id).WaitAsync(Patience);
    }

    /// <summary>Waits until the job's stored row says the task is queued: a reader that does not coordinate the job reads the row.</summary>
    private async Task UntilSavedAsQueuedAsync(JobId id, string taskId)
    {
        using var patience = new CancellationTokenSource(Patience);
        _ = await Coordinator("reader").WatchAsync(id, patience.Token).FirstAsync(e => e.TaskId == taskId && e.Kind == JobEventKind.TaskQueued, patience.Token);
    }

    private void StartLateWorkers()
    {
        _lateWorkers = new WorkerGroup(_store, _handlers.LateWorkers(), new WorkerGroupOptions
        {
            Concurrency = 1,
            Name = "late-worker",
            TimeProvider = _setup.Time,
            IdleWait = TimeSpan.FromSeconds(1),
        });
        _lateWorkers.Start();
    }

    private JobCoordinator Coordinator(string owner)
    {
        var coordinator = new JobCoordinator(_store, _handlers.Registry(), new JobCoordinatorOptions { Owner = owner, PollInterval = TimeSpan.FromMilliseconds(10) });
        _coordinators.Add(coordinator);
        return coordinator;
    }

    public sealed class Cyclic
    {
        public Cyclic? Next { get; set; }
    }
}
