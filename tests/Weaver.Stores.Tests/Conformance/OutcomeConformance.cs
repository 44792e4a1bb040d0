namespace Weaver.Stores.Tests.Conformance;

/// <summary>
/// The contract's accepted writes (contract 5): a commit, a failure (retry, death, permanent death), a hand-back and a
/// decision, each with exactly the row changes and events the contract lists.
/// </summary>
/// <param name="provider">The provider under test.</param>
public abstract class OutcomeConformance(StoreProvider provider) : StoreTests(provider)
{
    [StoreFact]
    public async Task A_commit_succeeds_the_task_stores_its_result_adds_its_cost_and_clears_the_lease()
    {
        await using var s = await OpenAsync();
        var created = await s.CreateAsync("t1");
        var attempt = await s.ClaimOneAsync("w1");
        s.Advance(TimeSpan.FromSeconds(2));
        var history = await s.HistoryAsync("t1");

        Assert.True(await s.Store.CompleteAsync(attempt, """{"answer":42}""", 0.75m));

        Expect.SameTask(
            created with { State = TaskLifecycle.State.Succeeded, Attempts = 1, Epoch = attempt.Epoch, Result = """{"answer":42}""", Cost = 0.75m },
            await s.GetAsync("t1"));
        Expect.Appended(history, [TaskEvents.Succeeded(s.Now, 1, "w1", attempt.Epoch)], await s.HistoryAsync("t1"));
        Assert.Empty(await s.ClaimAsync());
    }

    [StoreFact]
    public async Task A_commit_releases_the_task_resources()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1", resources: ["b", "a"]);
        var attempt = await s.ClaimOneAsync("w1");
        var history = await s.HistoryAsync("t1");
        s.Advance(TimeSpan.FromSeconds(1));

        Assert.True(await s.Store.CompleteAsync(attempt, null, 0m));

        Expect.Appended(
            history,
            [new TaskEvent(s.Now, TaskEventKind.ResourcesReleased, 1, "w1", 1, "Released 'a', 'b'."), TaskEvents.Succeeded(s.Now, 1, "w1", attempt.Epoch)],
            await s.HistoryAsync("t1"));
        Assert.Empty(await s.Store.ListLocksAsync());
        var next = await s.Store.TryAcquireLocksAsync("manual", "ops", ["a", "b"]);
        Assert.Equal(2, next.Lease!.Epoch);
    }

    [StoreFact]
    public async Task A_failure_with_attempts_left_schedules_a_retry_by_the_policy()
    {
        await using var s = await OpenAsync();
        var created = await s.CreateAsync("t1");
        var first = await s.ClaimOneAsync("w1");
        s.Advance(TimeSpan.FromSeconds(1));
        var history = await s.HistoryAsync("t1");

        Assert.True(await s.Store.FailAsync(first, "disk full", 0.5m));

        var (retryAt, failed) = TaskEvents.Failed(s.Now, Policies.ThreeTries, 1, "w1", first.Epoch, "disk full", StoreSetup.DefaultJitter);
        Assert.Equal(s.Now + TimeSpan.FromSeconds(2), retryAt);
        Assert.Equal(TaskEventKind.RetryScheduled, failed.Kind);
        Expect.SameTask(
            created with { State = TaskLifecycle.State.RetryScheduled, Attempts = 1, Epoch = 1, DueAt = retryAt, Error = "disk full", Cost = 0.5m },
            await s.GetAsync("t1"));
        Expect.Appended(history, [failed], await s.HistoryAsync("t1"));

        // The second failure waits InitialDelay × Multiplier.
        s.Advance(retryAt!.Value - s.Now);
        var second = await s.ClaimOneAsync("w2");
        Assert.True(await s.Store.FailAsync(second, "disk still full", 0.25m));
        var (secondRetry, secondFailed) = TaskEvents.Failed(s.Now, Policies.ThreeTries, 2, "w2", second.Epoch, "disk still full", StoreSetup.DefaultJitter);
        Assert.Equal(s.Now + TimeSpan.FromSeconds(6), secondRetry);
        var task = await s.GetAsync("t1");
        Assert.Equal(secondRetry, task.DueAt);
        Assert.Equal("disk still full", task.Error);
        Assert.Equal(0.75m, task.Cost);
        Assert.Equal(secondFailed, (await s.HistoryAsync("t1"))[^1]);
    }

    [StoreFact]
    public async Task A_retry_due_time_uses_the_store_jitter()
    {
        var setup = StoreSetup.Default() with { JitterSource = static () => 0.25 };
        await using var s = await OpenAsync(setup);
        await s.CreateAsync("t1", retry: Policies.Jittery);
        var attempt = await s.ClaimOneAsync();

        Assert.True(await s.Store.FailAsync(attempt, "flaky", 0m));

        // base 4 s, plus Jitter 0.5 × base × 0.25 = 0.5 s.
        var (retryAt, failed) = TaskEvents.Failed(s.Now, Policies.Jittery, 1, "w1", attempt.Epoch, "flaky", 0.25);
        Assert.Equal(s.Now + TimeSpan.FromSeconds(4.5), retryAt);
        Assert.Equal(retryAt, (await s.GetAsync("t1")).DueAt);
        Assert.Equal(failed, (await s.HistoryAsync("t1"))[^1]);
    }

    [StoreFact]
    public async Task A_failure_of_the_last_attempt_kills_the_task()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1", retry: Policies.TwoTries);
        Assert.True(await s.Store.FailAsync(await s.ClaimOneAsync("w1"), "first", 1m));
        s.Advance(TimeSpan.FromSeconds(1));
        var last = await s.ClaimOneAsync("w2");

        Assert.True(await s.Store.FailAsync(last, "second", 1m));

        var (retryAt, dead) = TaskEvents.Failed(s.Now, Policies.TwoTries, 2, "w2", last.Epoch, "second", StoreSetup.DefaultJitter);
        Assert.Null(retryAt);
        Assert.Equal(TaskEventKind.Dead, dead.Kind);
        var task = await s.GetAsync("t1");
        Assert.Equal(TaskLifecycle.State.Dead, task.State);
        Assert.Null(task.DueAt);
        Assert.Null(task.Owner);
        Assert.Null(task.LeaseExpiresAt);
        Assert.Equal("second", task.Error);
        Assert.Equal(2m, task.Cost);
        Assert.Equal(dead, (await s.HistoryAsync("t1"))[^1]);
        s.Advance(TimeSpan.FromHours(1));
        Assert.Empty(await s.ClaimAsync());
    }

    [StoreFact]
    public async Task A_permanent_failure_kills_the_task_at_once_and_releases_its_resources()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1", retry: Policies.ThreeTries, resources: ["r"]);
        var attempt = await s.ClaimOneAsync("w1");
        var history = await s.HistoryAsync("t1");

        Assert.True(await s.Store.FailAsync(attempt, "input is not JSON", 0m, permanent: true));

        var (retryAt, dead) = TaskEvents.Failed(s.Now, Policies.ThreeTries, 1, "w1", attempt.Epoch, "input is not JSON", StoreSetup.DefaultJitter, permanent: true);
        Assert.Null(retryAt);
        Expect.Appended(history, [new TaskEvent(s.Now, TaskEventKind.ResourcesReleased, 1, "w1", 1, "Released 'r'."), dead], await s.HistoryAsync("t1"));
        var task = await s.GetAsync("t1");
        Assert.Equal(TaskLifecycle.State.Dead, task.State);
        Assert.Equal("input is not JSON", task.Error);
        Assert.Empty(await s.Store.ListLocksAsync());
    }

    [StoreFact]
    public async Task A_hand_back_queues_the_task_again_with_its_attempt_counted()
    {
        await using var s = await OpenAsync();
        var created = await s.CreateAsync("t1", resources: ["r"]);
        var attempt = await s.ClaimOneAsync("w1");
        s.Advance(TimeSpan.FromSeconds(1));
        var history = await s.HistoryAsync("t1");

        Assert.True(await s.Store.AbandonAsync(attempt, "w1 is shutting down"));

        Expect.SameTask(created with { Attempts = 1, Epoch = 1 }, await s.GetAsync("t1"));
        Expect.Appended(
            history,
            [new TaskEvent(s.Now, TaskEventKind.ResourcesReleased, 1, "w1", 1, "Released 'r'."), TaskEvents.Abandoned(s.Now, 1, "w1", attempt.Epoch, "w1 is shutting down")],
            await s.HistoryAsync("t1"));
        Assert.Empty(await s.Store.ListLocksAsync());
        var next = await s.ClaimOneAsync("w2");
        Assert.Equal(2, next.Number);
        Assert.Equal(2, next.Epoch);
    }

    [StoreFact]
    public async Task A_decision_is_recorded_and_changes_nothing_else()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1");
        var attempt = await s.ClaimOneAsync("w1");
        s.Advance(TimeSpan.FromSeconds(1));
        var before = await s.GetAsync("t1");
        var history = await s.HistoryAsync("t1");
        var decision = new Decision("Budget: at most 3 retries", "2 retries used", "Stop after this attempt.");

        Assert.True(await s.Store.RecordDecisionAsync(attempt, decision));
        Assert.True(await s.Store.RecordDecisionAsync(attempt, decision with { Change = "And another." }));

        Expect.SameTask(before, await s.GetAsync("t1"));
        Expect.Appended(
            history,
            [
                TaskEvents.DecisionRecorded(s.Now, 1, "w1", attempt.Epoch, decision),
                TaskEvents.DecisionRecorded(s.Now, 1, "w1", attempt.Epoch, decision with { Change = "And another." }),
            ],
            await s.HistoryAsync("t1"));
    }
}
