using Weaver.Stores.Tests.Conformance;

namespace Weaver.Stores.Tests.Workers;

/// <summary>
/// A store-backed <see cref="WorkerGroup"/> behaves the same on every store: it runs tasks from their JSON inputs, ends a
/// task whose input cannot be read and goes on, retries by the task's policy, stops a handler whose task was cancelled in
/// the store, and hands running attempts back when it stops.
/// </summary>
public abstract class WorkerContractTests(StoreProvider provider) : IAsyncLifetime
{
    private static readonly RetryPolicy ThreeTries = new() { MaxAttempts = 3, InitialDelay = TimeSpan.FromSeconds(1), Jitter = 0 };
    private readonly StoreSetup _setup = StoreSetup.Default();
    private readonly StoreHandlers _handlers = new();
    private readonly TaskPayloads _payloads = new();
    private IWeaverStore _store = null!;
    private WorkerGroup _group = null!;

    public async Task InitializeAsync()
    {
        _store = await provider.CreateAsync(_setup);
        _group = new WorkerGroup(_store, _handlers.Registry(), new WorkerGroupOptions
        {
            Concurrency = 2,
            Name = "store-worker",
            TimeProvider = _setup.Time,
            IdleWait = TimeSpan.FromSeconds(1),
        });
        _group.Start();
    }

    public async Task DisposeAsync()
    {
        _handlers.Gate.TrySetResult();
        await _group.StopAsync(TimeSpan.Zero);
        await _store.DisposeAsync();
        if (provider is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync(); // a provider's own files (SQLite's folder)
        }
    }

    [StoreFact]
    public async Task Runs_tasks_from_their_json_input_and_stores_json_results()
    {
        await SubmitAsync("t1", new Shout("hello"));
        await SubmitAsync("t2", new Shout("wörld \"quoted\""));

        var first = await StorePolling.UntilEndedAsync(_store, "t1");
        var second = await StorePolling.UntilEndedAsync(_store, "t2");

        Assert.Equal(TaskLifecycle.State.Succeeded, first.State);
        Assert.Equal(new Shouted("HELLO", 1), Read(first.Result));
        Assert.Equal(new Shouted("WÖRLD \"QUOTED\"", 1), Read(second.Result));
        var history = await _store.GetHistoryAsync("t1");
        Assert.Equal(
            [TaskEventKind.Submitted, TaskEventKind.AttemptStarted, TaskEventKind.Succeeded],
            history.Select(e => e.Kind));
        Assert.StartsWith("store-worker/", history[1].Owner, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_task_whose_input_cannot_be_read_dies_with_a_message_naming_it_and_the_worker_goes_on()
    {
        await _store.CreateTaskAsync(new NewTask("poison", StoreHandlers.Kind, "{\"text\": [not json", ThreeTries));
        await _store.CreateTaskAsync(new NewTask("wrong-shape", StoreHandlers.Kind, "42", ThreeTries));
        await SubmitAsync("fine", new Shout("still runs"));

        var poison = await StorePolling.UntilEndedAsync(_store, "poison");
        var wrongShape = await StorePolling.UntilEndedAsync(_store, "wrong-shape");
        var fine = await StorePolling.UntilEndedAsync(_store, "fine");

        Assert.Equal(TaskLifecycle.State.Dead, poison.State);
        Assert.Equal(1, poison.Attempts); // a permanent failure: no retry could read it either
        Assert.Contains("Task 'poison' (kind 'echo')", poison.Error, StringComparison.Ordinal);
        Assert.Contains("does not deserialize as Shout", poison.Error, StringComparison.Ordinal);
        Assert.Equal(TaskLifecycle.State.Dead, wrongShape.State);
        Assert.Contains("Task 'wrong-shape'", wrongShape.Error, StringComparison.Ordinal);
        Assert.Equal(TaskLifecycle.State.Succeeded, fine.State);
        var death = (await _store.GetHistoryAsync("poison")).Single(e => e.Kind == TaskEventKind.Dead);
        Assert.Contains("permanent", death.Detail, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_failed_attempt_is_retried_after_the_policy_delay()
    {
        await SubmitAsync("flaky", new Shout("again", FailTimes: 1));

        var scheduled = await StorePolling.UntilAsync(_store, "flaky", t => t.State == TaskLifecycle.State.RetryScheduled, "retry-scheduled");
        Assert.Equal(_setup.Time.GetUtcNow() + TimeSpan.FromSeconds(1), scheduled.DueAt);
        Assert.Contains("attempt 1 was told to fail", scheduled.Error, StringComparison.Ordinal);

        _setup.Time.Advance(TimeSpan.FromSeconds(1));
        // A worker that was between its last claim and its idle wait when the clock moved waits one idle period of the
        // fake clock more: move the clock on by that period while the retry has not run.
        var done = await StorePolling.UntilEndedAsync(_store, "flaky", nudge: () => _setup.Time.Advance(TimeSpan.FromSeconds(1)));

        Assert.Equal(TaskLifecycle.State.Succeeded, done.State);
        Assert.Equal(new Shouted("AGAIN", 2), Read(done.Result));
        Assert.Equal(2, done.Attempts);
    }

    [StoreFact]
    public async Task A_task_cancelled_in_the_store_stops_its_handler_at_the_next_heartbeat()
    {
        await SubmitAsync("long", new Shout("slow", Block: true));
        await _handlers.Started.Task.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(await _store.CancelAsync("long"));
        _setup.Time.Advance(_setup.Leases.HeartbeatInterval);

        Assert.Equal("cancelled", await _handlers.Ended.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        var task = await _store.GetTaskAsync("long");
        Assert.Equal(TaskLifecycle.State.Cancelled, task!.State);
        var history = await _store.GetHistoryAsync("long");
        var cancelled = history.Single(e => e.Kind == TaskEventKind.Cancelled);
        Assert.Contains(history.SkipWhile(e => e != cancelled), e => e.Kind == TaskEventKind.WriteRejected);
        Assert.DoesNotContain(history, e => e.Kind == TaskEventKind.Succeeded);
    }

    [StoreFact]
    public async Task Stopping_the_group_hands_a_running_attempt_back_to_the_queue()
    {
        await SubmitAsync("interrupted", new Shout("later", Block: true));
        await _handlers.Started.Task.WaitAsync(TimeSpan.FromSeconds(20));

        await _group.StopAsync(TimeSpan.Zero);

        Assert.Equal("cancelled", await _handlers.Ended.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        var task = await _store.GetTaskAsync("interrupted");
        Assert.Equal(TaskLifecycle.State.Queued, task!.State);
        var abandoned = (await _store.GetHistoryAsync("interrupted")).Single(e => e.Kind == TaskEventKind.Abandoned);
        Assert.Contains("shut down before the attempt finished", abandoned.Detail, StringComparison.Ordinal);
    }

    private async Task SubmitAsync(string id, Shout input) =>
        await _store.CreateTaskAsync(new NewTask(id, StoreHandlers.Kind, _payloads.Write(input, typeof(Shout)), ThreeTries));

    private Shouted? Read(string? json) => (Shouted?)_payloads.ReadInput("result", StoreHandlers.Kind, json, typeof(Shouted));
}
