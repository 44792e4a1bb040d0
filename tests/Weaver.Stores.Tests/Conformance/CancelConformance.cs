namespace Weaver.Stores.Tests.Conformance;

/// <summary>The contract's cancel (contract 6): any task that has not ended can be cancelled, once.</summary>
/// <param name="provider">The provider under test.</param>
public abstract class CancelConformance(StoreProvider provider) : StoreTests(provider)
{
    [StoreFact]
    public async Task A_queued_task_is_cancelled_and_never_claimed()
    {
        await using var s = await OpenAsync();
        var created = await s.CreateAsync("t1");
        s.Advance(TimeSpan.FromSeconds(1));

        Assert.True(await s.Store.CancelAsync("t1"));

        Expect.SameTask(created with { State = TaskLifecycle.State.Cancelled }, await s.GetAsync("t1"));
        var cancelled = TaskEvents.Cancelled(s.Now, 0, 0);
        Assert.Null(cancelled.Outcome);
        Expect.SameHistory([TaskEvents.Submitted(created.CreatedAt, "echo"), cancelled], await s.HistoryAsync("t1"));
        Assert.Empty(await s.ClaimAsync());
    }

    [StoreFact]
    public async Task A_running_task_is_cancelled_its_lease_cleared_its_resources_released_and_its_later_writes_rejected()
    {
        await using var s = await OpenAsync();
        var created = await s.CreateAsync("t1", resources: ["r"]);
        var attempt = await s.ClaimOneAsync("w1");
        s.Advance(TimeSpan.FromSeconds(1));
        var history = await s.HistoryAsync("t1");

        Assert.True(await s.Store.CancelAsync("t1"));

        var cancelled = TaskEvents.Cancelled(s.Now, 1, attempt.Epoch);
        Assert.Equal(AttemptOutcome.Cancelled, cancelled.Outcome);
        Expect.SameTask(created with { State = TaskLifecycle.State.Cancelled, Attempts = 1, Epoch = 1 }, await s.GetAsync("t1"));
        Expect.Appended(history, [cancelled, new TaskEvent(s.Now, TaskEventKind.ResourcesReleased, 1, "w1", 1, "Released 'r'.")], await s.HistoryAsync("t1"));
        Assert.Empty(await s.Store.ListLocksAsync());

        Assert.Null(await s.Store.RenewAsync(attempt));
        Assert.False(await s.Store.CompleteAsync(attempt, "1", 0m));
        Assert.False(await s.Store.FailAsync(attempt, "x", 0m));
        Assert.Equal(TaskLifecycle.State.Cancelled, (await s.GetAsync("t1")).State);
        Assert.Equal(3, (await s.HistoryAsync("t1")).Count(e => e.Kind == TaskEventKind.WriteRejected));
        Assert.Equal(0, await s.Store.SweepAsync());
    }

    [StoreFact]
    public async Task A_task_waiting_for_its_retry_is_cancelled_and_never_claimed()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1");
        Assert.True(await s.Store.FailAsync(await s.ClaimOneAsync(), "boom", 0m));
        var history = await s.HistoryAsync("t1");

        Assert.True(await s.Store.CancelAsync("t1"));

        var task = await s.GetAsync("t1");
        Assert.Equal(TaskLifecycle.State.Cancelled, task.State);
        Assert.Equal(1, task.Attempts);
        Expect.Appended(history, [TaskEvents.Cancelled(s.Now, 1, 0)], await s.HistoryAsync("t1"));
        s.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(await s.ClaimAsync());
    }

    [StoreFact]
    public async Task An_ended_task_cannot_be_cancelled_and_is_left_as_it_was()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("succeeded");
        await s.CreateAsync("dead", retry: Policies.OneTry);
        await s.CreateAsync("cancelled");
        Assert.True(await s.Store.CompleteAsync(await s.ClaimOneAsync(), "1", 0m));
        Assert.True(await s.Store.FailAsync(await s.ClaimOneAsync(), "x", 0m));
        Assert.True(await s.Store.CancelAsync("cancelled"));

        foreach (var id in new[] { "succeeded", "dead", "cancelled" })
        {
            var before = await s.GetAsync(id);
            var history = await s.HistoryAsync(id);
            Assert.False(await s.Store.CancelAsync(id));
            Expect.SameTask(before, await s.GetAsync(id));
            Expect.SameHistory(history, await s.HistoryAsync(id));
        }
    }

    [StoreFact]
    public async Task An_unknown_task_cannot_be_cancelled()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1");

        Assert.False(await s.Store.CancelAsync("t2"));
        Assert.False(await s.Store.CancelAsync("T1"));
        Assert.Equal(TaskLifecycle.State.Queued, (await s.GetAsync("t1")).State);
    }

    [StoreFact]
    public async Task Concurrent_cancels_of_one_task_succeed_once()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1");
        await s.ClaimOneAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () => await s.Store.CancelAsync("t1"))));

        Assert.Equal(1, results.Count(cancelled => cancelled));
        Assert.Single(await s.HistoryAsync("t1"), e => e.Kind == TaskEventKind.Cancelled);
    }
}
