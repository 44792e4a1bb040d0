using Weaver.Sqlite;
using Weaver.Stores.Tests.Conformance;

namespace Weaver.Stores.Tests.Sqlite;

/// <summary>The store's task protocol on one file, step by step: claims, fenced commits, retries, take-backs and cancels.</summary>
public sealed class SqliteStoreTests : IAsyncLifetime
{
    private static readonly string[] Echo = ["echo"];
    private readonly SqliteTestFolder _folder = new();
    private readonly StoreSetup _setup = StoreSetup.Default();
    private SqliteWeaverStore _store = null!;

    private TimeSpan StaleAfter => _setup.Leases.StaleAfter;

    public Task InitializeAsync()
    {
        _store = _folder.Store(_setup);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _folder.DisposeAsync();

    [Fact]
    public async Task A_created_task_reads_back_with_every_field_and_a_submitted_event()
    {
        var retry = new RetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.FromSeconds(2), Multiplier = 1.5, MaxDelay = TimeSpan.FromMinutes(1), Jitter = 0.1 };
        var input = "{ \"b\": 1,\n  \"a\": [1, 2.50, \"x\"] }";
        var job = new JobTaskRef(new JobId("job-1"), "step-a");
        var created = await _store.CreateTaskAsync(new NewTask("t1", "echo", input, retry) { Resources = ["./src//a.cs", "db:orders", "src/a.cs"], Job = job });

        var read = await _store.GetTaskAsync("t1");

        Assert.NotNull(read);
        Assert.Equal(created.Resources, read.Resources);
        Assert.Equal(created with { Resources = read.Resources }, read); // records compare lists by reference
        Assert.Equal(TaskLifecycle.State.Queued, read.State);
        Assert.Equal(input, read.Input);
        Assert.Equal(retry, read.Retry);
        Assert.Equal(["src/a.cs", "db:orders"], read.Resources);
        Assert.Equal(job, read.Job);
        Assert.Equal((0, 0L, 0m), (read.Attempts, read.Epoch, read.Cost));
        Assert.Equal(_setup.Time.GetUtcNow(), read.CreatedAt);
        var submitted = Assert.Single(await _store.GetHistoryAsync("t1"));
        Assert.Equal(TaskEvents.Submitted(_setup.Time.GetUtcNow(), "echo"), submitted);
    }

    [Fact]
    public async Task A_duplicate_id_is_refused_and_the_stored_task_is_left_as_it_was()
    {
        await _store.CreateTaskAsync(new NewTask("t1", "echo", "1", RetryPolicy.Default));

        var error = await Assert.ThrowsAsync<DuplicateTaskException>(() => _store.CreateTaskAsync(new NewTask("t1", "other", "2", RetryPolicy.None)).AsTask());

        Assert.Equal("t1", error.TaskId);
        var stored = await _store.GetTaskAsync("t1");
        Assert.Equal(("echo", "1", RetryPolicy.Default), (stored!.Kind, stored.Input, stored.Retry));
        Assert.Single(await _store.GetHistoryAsync("t1"));
    }

    [Fact]
    public async Task Claims_take_the_earliest_created_tasks_of_the_given_kinds()
    {
        foreach (var (id, kind) in new[] { ("z", "echo"), ("a", "other"), ("m", "echo"), ("b", "echo") })
        {
            await _store.CreateTaskAsync(new NewTask(id, kind, null, RetryPolicy.Default));
        }

        var claimed = await _store.ClaimAsync("w1", 2, Echo);

        Assert.Equal(["z", "m"], claimed.Select(a => a.TaskId));
        var now = _setup.Time.GetUtcNow();
        Assert.All(claimed, a => Assert.Equal((1, "w1", 1L, now + StaleAfter), (a.Number, a.Owner, a.Epoch, a.ExpiresAt)));
        var running = await _store.GetTaskAsync("z");
        Assert.Equal((TaskLifecycle.State.Running, 1, 1L, "w1", now + StaleAfter), (running!.State, running.Attempts, running.Epoch, running.Owner, running.LeaseExpiresAt));
        Assert.Equal(TaskEvents.AttemptStarted(now, 1, "w1", 1), (await _store.GetHistoryAsync("z"))[^1]);
        Assert.Equal(["b"], (await _store.ClaimAsync("w2", 5, Echo)).Select(a => a.TaskId));
        Assert.Empty(await _store.ClaimAsync("w2", 5, Echo));
        Assert.Equal(TaskLifecycle.State.Queued, (await _store.GetTaskAsync("a"))!.State);
    }

    [Fact]
    public async Task Bad_claim_arguments_are_refused_with_what_is_allowed()
    {
        var owner = await Assert.ThrowsAsync<ArgumentException>(() => _store.ClaimAsync(" ", 1, Echo).AsTask());
        var max = await Assert.ThrowsAsync<ArgumentException>(() => _store.ClaimAsync("w", 0, Echo).AsTask());
        var kinds = await Assert.ThrowsAsync<ArgumentException>(() => _store.ClaimAsync("w", 1, []).AsTask());

        Assert.Contains("owner", owner.Message, StringComparison.Ordinal);
        Assert.Contains("1 or more", max.Message, StringComparison.Ordinal);
        Assert.Contains("at least one task kind", kinds.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_renewal_extends_a_live_lease_and_a_lost_one_is_recorded_as_a_rejected_heartbeat()
    {
        await _store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default));
        var attempt = Assert.Single(await _store.ClaimAsync("w1", 1, Echo));

        _setup.Time.Advance(StaleAfter);
        var renewed = await _store.RenewAsync(attempt);

        Assert.NotNull(renewed);
        Assert.Equal(_setup.Time.GetUtcNow() + StaleAfter, renewed.ExpiresAt);
        Assert.Equal(renewed.ExpiresAt, (await _store.GetTaskAsync("t1"))!.LeaseExpiresAt);

        _setup.Time.Advance(StaleAfter + TimeSpan.FromTicks(1));
        Assert.Null(await _store.RenewAsync(renewed));
        Assert.Equal(TaskEvents.HeartbeatRejected(_setup.Time.GetUtcNow(), 1, "w1", 1), (await _store.GetHistoryAsync("t1"))[^1]);
    }

    [Fact]
    public async Task A_result_is_committed_once_and_a_second_commit_is_rejected()
    {
        await _store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default));
        var attempt = Assert.Single(await _store.ClaimAsync("w1", 1, Echo));

        Assert.True(await _store.CompleteAsync(attempt, "{\"ok\":true}", 1.25m));
        Assert.False(await _store.CompleteAsync(attempt, "{\"again\":true}", 1m));

        var task = await _store.GetTaskAsync("t1");
        Assert.Equal((TaskLifecycle.State.Succeeded, "{\"ok\":true}", 1.25m, null, null), (task!.State, task.Result, task.Cost, task.Owner, task.LeaseExpiresAt));
        var history = await _store.GetHistoryAsync("t1");
        var now = _setup.Time.GetUtcNow();
        Assert.Equal(TaskEvents.Succeeded(now, 1, "w1", 1), history[^2]);
        Assert.Equal(TaskEvents.Rejected(now, 1, "w1", 1, "commit"), history[^1]);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _store.CompleteAsync(attempt, null, -0.01m).AsTask());
    }

    [Fact]
    public async Task A_failure_schedules_a_retry_by_the_policy_and_the_last_one_kills_the_task()
    {
        var retry = new RetryPolicy { MaxAttempts = 2, InitialDelay = TimeSpan.FromSeconds(4), Jitter = 0.5 };
        await _store.CreateTaskAsync(new NewTask("t1", "echo", null, retry));
        var first = Assert.Single(await _store.ClaimAsync("w1", 1, Echo));

        Assert.True(await _store.FailAsync(first, "boom", 0.5m));

        var start = _setup.Time.GetUtcNow();
        var (dueAt, failed) = TaskEvents.Failed(start, retry, 1, "w1", 1, "boom", 0.5);
        var scheduled = await _store.GetTaskAsync("t1");
        Assert.Equal((TaskLifecycle.State.RetryScheduled, dueAt, "boom", 0.5m), (scheduled!.State, scheduled.DueAt, scheduled.Error, scheduled.Cost));
        Assert.Equal(failed, (await _store.GetHistoryAsync("t1"))[^1]);
        Assert.Empty(await _store.ClaimAsync("w2", 1, Echo));

        _setup.Time.Advance(dueAt!.Value - start);
        var second = Assert.Single(await _store.ClaimAsync("w2", 1, Echo));
        Assert.Equal((2, 2L), (second.Number, second.Epoch));
        Assert.Null((await _store.GetTaskAsync("t1"))!.DueAt);

        Assert.True(await _store.FailAsync(second, "boom again", 0.25m));
        var dead = await _store.GetTaskAsync("t1");
        Assert.Equal((TaskLifecycle.State.Dead, "boom again", 0.75m, null), (dead!.State, dead.Error, dead.Cost, dead.DueAt));
        Assert.Equal(TaskEvents.Failed(_setup.Time.GetUtcNow(), retry, 2, "w2", 2, "boom again", 0.5).Event, (await _store.GetHistoryAsync("t1"))[^1]);
    }

    [Fact]
    public async Task A_permanent_failure_kills_the_task_with_attempts_left()
    {
        await _store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default));
        var attempt = Assert.Single(await _store.ClaimAsync("w1", 1, Echo));

        Assert.True(await _store.FailAsync(attempt, "unreadable input", 0m, permanent: true));

        Assert.Equal(TaskLifecycle.State.Dead, (await _store.GetTaskAsync("t1"))!.State);
    }

    [Fact]
    public async Task A_stale_lease_is_not_claimed_but_swept_back_and_its_writes_are_rejected()
    {
        await _store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default));
        var stale = Assert.Single(await _store.ClaimAsync("w1", 1, Echo));
        _setup.Time.Advance(StaleAfter);

        Assert.Equal(0, await _store.SweepAsync());
        _setup.Time.Advance(TimeSpan.FromTicks(1));
        Assert.Empty(await _store.ClaimAsync("w2", 1, Echo));
        Assert.Equal(1, await _store.SweepAsync());

        var queued = await _store.GetTaskAsync("t1");
        Assert.Equal((TaskLifecycle.State.Queued, 1, null, null), (queued!.State, queued.Attempts, queued.Owner, queued.LeaseExpiresAt));
        var now = _setup.Time.GetUtcNow();
        var expected = TaskEvents.TakenBack(now, RetryPolicy.Default, _setup.Leases, 1, 1, TaskEvents.StaleLease("w1", 1, stale.ExpiresAt)).Event;
        Assert.Equal(expected, (await _store.GetHistoryAsync("t1"))[^1]);

        var fresh = Assert.Single(await _store.ClaimAsync("w2", 1, Echo));
        Assert.Equal((2, 2L), (fresh.Number, fresh.Epoch));
        Assert.False(await _store.CompleteAsync(stale, "late", 0m));
        Assert.False(await _store.FailAsync(stale, "late", 0m));
        Assert.False(await _store.AbandonAsync(stale, "late"));
        Assert.False(await _store.RecordDecisionAsync(stale, new Decision("p", "e", "c")));
        var history = await _store.GetHistoryAsync("t1");
        Assert.Equal(
            ["commit", "failure", "hand-back", "decision"],
            history.TakeLast(4).Select(e => e.Detail.Split(' ')[1]));
        Assert.All(history.TakeLast(4), e => Assert.Equal((TaskEventKind.WriteRejected, 1L), (e.Kind, e.Epoch)));
        Assert.True(await _store.CompleteAsync(fresh, "done", 0m));
    }

    [Fact]
    public async Task A_stale_task_without_attempts_left_dies_with_the_take_back_as_its_error()
    {
        await _store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.None));
        var stale = Assert.Single(await _store.ClaimAsync("w1", 1, Echo));
        _setup.Time.Advance(StaleAfter + TimeSpan.FromTicks(1));

        Assert.Equal(1, await _store.SweepAsync());

        var dead = await _store.GetTaskAsync("t1");
        var history = await _store.GetHistoryAsync("t1");
        Assert.Equal(TaskLifecycle.State.Dead, dead!.State);
        Assert.Equal(TaskEventKind.Dead, history[^1].Kind);
        Assert.Equal(history[^1].Detail, dead.Error);
        Assert.Contains(TaskEvents.StaleLease("w1", 1, stale.ExpiresAt), dead.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hand_back_queues_the_task_again_with_its_attempt_counted()
    {
        await _store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default));
        var attempt = Assert.Single(await _store.ClaimAsync("w1", 1, Echo));

        Assert.True(await _store.AbandonAsync(attempt, "shutting down"));

        var task = await _store.GetTaskAsync("t1");
        Assert.Equal((TaskLifecycle.State.Queued, 1, 1L, null), (task!.State, task.Attempts, task.Epoch, task.Owner));
        Assert.Equal(TaskEvents.Abandoned(_setup.Time.GetUtcNow(), 1, "w1", 1, "shutting down"), (await _store.GetHistoryAsync("t1"))[^1]);
        Assert.Equal((2, 2L), Assert.Single(await _store.ClaimAsync("w2", 1, Echo)) is var again ? (again.Number, again.Epoch) : default);
    }

    [Fact]
    public async Task A_decision_is_recorded_with_its_policy_evidence_and_change()
    {
        await _store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default));
        var attempt = Assert.Single(await _store.ClaimAsync("w1", 1, Echo));
        var decision = new Decision("Split rule", "3 files", "Split into 3 parts.");

        Assert.True(await _store.RecordDecisionAsync(attempt, decision));

        var recorded = (await _store.GetHistoryAsync("t1"))[^1];
        Assert.Equal(TaskEvents.DecisionRecorded(_setup.Time.GetUtcNow(), 1, "w1", 1, decision), recorded);
        Assert.Equal(decision, recorded.Decision);
        Assert.Equal(TaskLifecycle.State.Running, (await _store.GetTaskAsync("t1"))!.State);
    }

    [Fact]
    public async Task Cancel_ends_queued_and_running_tasks_and_nothing_else()
    {
        await _store.CreateTaskAsync(new NewTask("queued", "echo", null, RetryPolicy.Default));
        await _store.CreateTaskAsync(new NewTask("running", "other", null, RetryPolicy.Default));
        var attempt = Assert.Single(await _store.ClaimAsync("w1", 1, ["other"]));

        Assert.True(await _store.CancelAsync("queued"));
        Assert.True(await _store.CancelAsync("running"));
        Assert.False(await _store.CancelAsync("running"));
        Assert.False(await _store.CancelAsync("nobody"));

        var now = _setup.Time.GetUtcNow();
        Assert.Equal(TaskEvents.Cancelled(now, 0, 0), (await _store.GetHistoryAsync("queued"))[^1]);
        Assert.Equal(TaskEvents.Cancelled(now, 1, 1), (await _store.GetHistoryAsync("running"))[^1]);
        var cancelled = await _store.GetTaskAsync("running");
        Assert.Equal((TaskLifecycle.State.Cancelled, null, null), (cancelled!.State, cancelled.Owner, cancelled.LeaseExpiresAt));
        Assert.False(await _store.CompleteAsync(attempt, "late", 0m));
        Assert.Equal(TaskEvents.Rejected(now, 1, "w1", 1, "commit"), (await _store.GetHistoryAsync("running"))[^1]);
    }

    [Fact]
    public async Task Lists_are_ordered_by_id_and_filter_by_state()
    {
        foreach (var id in new[] { "b", "a", "C", "é" })
        {
            await _store.CreateTaskAsync(new NewTask(id, "echo", null, RetryPolicy.Default));
        }

        await _store.ClaimAsync("w1", 1, Echo);

        Assert.Equal(["C", "a", "b", "é"], (await _store.ListTasksAsync()).Select(t => t.Id));
        Assert.Equal(["b"], (await _store.ListTasksAsync(TaskLifecycle.State.Running)).Select(t => t.Id));
        Assert.Equal(["C", "a", "é"], (await _store.ListTasksAsync(TaskLifecycle.State.Queued)).Select(t => t.Id));
        Assert.Empty(await _store.GetHistoryAsync("nobody"));
        Assert.Null(await _store.GetTaskAsync("nobody"));
    }
}
