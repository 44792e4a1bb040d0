namespace Weaver.Stores.Tests.Conformance;

/// <summary>The contract's sweep (contract 7): stale running tasks are taken back, queued again or dead, and counted.</summary>
/// <param name="provider">The provider under test.</param>
public abstract class SweepConformance(StoreProvider provider) : StoreTests(provider)
{
    [StoreFact]
    public async Task A_sweep_with_nothing_stale_takes_nothing()
    {
        await using var s = await OpenAsync();
        Assert.Equal(0, await s.Store.SweepAsync());
        await s.CreateAsync("queued");
        await s.CreateAsync("running");
        await s.CreateAsync("failed");
        await s.ClaimOneAsync();
        var running = await s.ClaimOneAsync();
        Assert.True(await s.Store.FailAsync(await s.ClaimOneAsync(), "x", 0m));
        s.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, await s.Store.SweepAsync());
        Assert.Equal(TaskLifecycle.State.Running, (await s.GetAsync(running.TaskId)).State);
    }

    [StoreFact]
    public async Task A_lease_at_exactly_its_expiry_is_not_swept_and_one_a_millisecond_later_is()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1");
        var attempt = await s.ClaimOneAsync();

        s.Advance(attempt.ExpiresAt - s.Now);
        Assert.Equal(0, await s.Store.SweepAsync());
        Assert.Equal(TaskLifecycle.State.Running, (await s.GetAsync("t1")).State);

        s.Advance(StoreHarness.Millisecond);
        Assert.Equal(1, await s.Store.SweepAsync());
        Assert.Equal(TaskLifecycle.State.Queued, (await s.GetAsync("t1")).State);
    }

    [StoreFact]
    public async Task A_stale_task_with_attempts_left_is_queued_again()
    {
        await using var s = await OpenAsync();
        var created = await s.CreateAsync("t1");
        var attempt = await s.ClaimOneAsync("w1");
        var history = await s.HistoryAsync("t1");
        s.GoStale();

        Assert.Equal(1, await s.Store.SweepAsync());

        var (requeued, reclaimed) = TaskEvents.TakenBack(
            s.Now, Policies.ThreeTries, s.Store.Leases, 1, attempt.Epoch, TaskEvents.StaleLease("w1", attempt.Epoch, attempt.ExpiresAt));
        Assert.True(requeued);
        Assert.Equal(TaskEventKind.Reclaimed, reclaimed.Kind);
        Expect.SameTask(created with { Attempts = 1, Epoch = 1 }, await s.GetAsync("t1"));
        Expect.Appended(history, [reclaimed], await s.HistoryAsync("t1"));
        Assert.Equal(0, await s.Store.SweepAsync());
    }

    [StoreFact]
    public async Task The_store_lease_timing_is_the_one_it_was_created_with()
    {
        await using var s = await OpenAsync();
        Assert.Equal(s.Setup.Leases, s.Store.Leases);
        Assert.Equal(s.Setup.Leases.StaleAfter, s.Store.Leases.StaleAfter);
    }

    [StoreFact]
    public async Task A_stale_task_with_no_attempts_left_dies_with_the_take_back_as_its_error()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1", retry: Policies.OneTry);
        var attempt = await s.ClaimOneAsync("w1");
        var history = await s.HistoryAsync("t1");
        s.GoStale();

        Assert.Equal(1, await s.Store.SweepAsync());

        var (requeued, dead) = TaskEvents.TakenBack(
            s.Now, Policies.OneTry, s.Store.Leases, 1, attempt.Epoch, TaskEvents.StaleLease("w1", attempt.Epoch, attempt.ExpiresAt));
        Assert.False(requeued);
        Assert.Equal(TaskEventKind.Dead, dead.Kind);
        var task = await s.GetAsync("t1");
        Assert.Equal(TaskLifecycle.State.Dead, task.State);
        Assert.Equal(dead.Detail, task.Error);
        Assert.Null(task.Owner);
        Assert.Null(task.LeaseExpiresAt);
        Expect.Appended(history, [dead], await s.HistoryAsync("t1"));
        Assert.Empty(await s.ClaimAsync());
    }

    [StoreFact]
    public async Task A_sweep_counts_the_tasks_it_took_back()
    {
        await using var s = await OpenAsync();
        for (var i = 0; i < 4; i++)
        {
            await s.CreateAsync($"t{i}", retry: i == 3 ? Policies.OneTry : Policies.ThreeTries);
        }

        await s.ClaimAsync("w1", 1);
        await s.ClaimAsync("w2", 1);
        s.Advance(TimeSpan.FromSeconds(5));
        var late = (await s.ClaimAsync("w3", 2)).Select(a => a.TaskId).ToList();
        Assert.Equal(["t2", "t3"], late);
        s.Advance(s.StaleAfter - TimeSpan.FromSeconds(5) + StoreHarness.Millisecond);

        Assert.Equal(2, await s.Store.SweepAsync());
        Assert.Equal(0, await s.Store.SweepAsync());
        s.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(2, await s.Store.SweepAsync());
        Assert.Equal(["t0", "t1", "t2"], (await s.Store.ListTasksAsync(TaskLifecycle.State.Queued)).Select(t => t.Id));
        Assert.Equal(["t3"], (await s.Store.ListTasksAsync(TaskLifecycle.State.Dead)).Select(t => t.Id));
    }

    [StoreFact]
    public async Task A_sweep_frees_the_stale_task_resources()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1", resources: ["r1", "r2"]);
        await s.CreateAsync("t2", resources: ["r2"]);
        var attempt = await s.ClaimOneAsync("w1");
        s.GoStale();

        Assert.Equal(1, await s.Store.SweepAsync());

        Assert.Empty(await s.Store.ListLocksAsync());
        var history = await s.HistoryAsync("t1");
        var released = Assert.Single(history, e => e.Kind == TaskEventKind.ResourcesReleased);
        Assert.Equal(1, released.Attempt);
        Assert.Equal("w1", released.Owner);
        Assert.Equal(1, released.Epoch);
        Assert.True(history.ToList().IndexOf(released) < history.Count - 1, "the resources are released before the take-back is recorded");
        Assert.Equal(TaskEventKind.Reclaimed, history[^1].Kind);

        // t1 is first again by creation, and takes r1 and r2 under the next epoch.
        var next = await s.ClaimOneAsync("w2");
        Assert.Equal("t1", next.TaskId);
        Assert.Equal(2, (await s.Store.ListLocksAsync()).Single().Epoch);
        Assert.Empty(await s.ClaimAsync("w3"));
        Assert.Null(await s.Store.RenewAsync(attempt));
    }

    [StoreFact]
    public async Task A_sweep_counts_tasks_not_standalone_locks()
    {
        await using var s = await OpenAsync();
        var manual = await s.Store.TryAcquireLocksAsync("manual", "ops", ["k"]);
        s.GoStale();

        Assert.Equal(0, await s.Store.SweepAsync());
        Assert.Empty(await s.Store.ListLocksAsync());
        Assert.False(await s.Store.ReleaseLocksAsync(manual.Lease!));
        Assert.Equal(2, (await s.Store.TryAcquireLocksAsync("again", "ops", ["k"])).Lease!.Epoch);
    }

    [StoreFact]
    public async Task A_cancelled_or_finished_task_is_never_swept()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("cancelled");
        await s.CreateAsync("done");
        await s.ClaimOneAsync();
        Assert.True(await s.Store.CancelAsync("cancelled"));
        Assert.True(await s.Store.CompleteAsync(await s.ClaimOneAsync(), "1", 0m));
        s.GoStale();

        Assert.Equal(0, await s.Store.SweepAsync());
        Assert.Equal(TaskLifecycle.State.Cancelled, (await s.GetAsync("cancelled")).State);
        Assert.Equal(TaskLifecycle.State.Succeeded, (await s.GetAsync("done")).State);
    }
}
