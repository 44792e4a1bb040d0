using System.Collections.Concurrent;

namespace Weaver.Stores.Tests.Conformance;

/// <summary>The contract's claims: what is claimed, in which order, with which epoch and lease, and never twice (contract 1, 3).</summary>
/// <param name="provider">The provider under test.</param>
public abstract class ClaimConformance(StoreProvider provider) : StoreTests(provider)
{
    [StoreFact]
    public async Task A_claim_starts_an_attempt_under_a_new_lease()
    {
        await using var s = await OpenAsync();
        var job = new JobTaskRef(new JobId("job-7"), "fetch");
        await s.CreateAsync("t1", input: """{"url":"x"}""", resources: ["db:b", "db:a"], job: job);
        s.Advance(TimeSpan.FromSeconds(5));

        var attempt = await s.ClaimOneAsync("worker-1");

        var expiresAt = s.Now + s.StaleAfter;
        Expect.SameAttempt(new StoredAttempt("t1", "echo", """{"url":"x"}""", 1, "worker-1", 1, expiresAt) { Resources = ["db:b", "db:a"], Job = job }, attempt);
        Assert.Equal(new Lease<string>("t1", "worker-1", 1, expiresAt), attempt.Lease);
        var task = await s.GetAsync("t1");
        Assert.Equal(TaskLifecycle.State.Running, task.State);
        Assert.Equal(1, task.Attempts);
        Assert.Equal(1, task.Epoch);
        Assert.Equal("worker-1", task.Owner);
        Assert.Equal(expiresAt, task.LeaseExpiresAt);
        Assert.Null(task.DueAt);
        Expect.AssertUtc(task);
    }

    [StoreFact]
    public async Task A_claim_without_resources_records_only_the_attempt_start()
    {
        await using var s = await OpenAsync();
        var createdAt = s.Now;
        await s.CreateAsync("t1");
        s.Advance(TimeSpan.FromSeconds(1));

        var attempt = await s.ClaimOneAsync("w1");

        Expect.SameHistory([TaskEvents.Submitted(createdAt, "echo"), TaskEvents.AttemptStarted(s.Now, 1, "w1", attempt.Epoch)], await s.HistoryAsync("t1"));
    }

    [StoreFact]
    public async Task Bad_claim_arguments_are_rejected_and_claim_nothing()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1");

        Assert.Equal("owner", (await Assert.ThrowsAnyAsync<ArgumentException>(async () => await s.Store.ClaimAsync("", 1, ["echo"]))).ParamName);
        Assert.Equal("max", (await Assert.ThrowsAnyAsync<ArgumentException>(async () => await s.Store.ClaimAsync("w1", 0, ["echo"]))).ParamName);
        Assert.Equal("max", (await Assert.ThrowsAnyAsync<ArgumentException>(async () => await s.Store.ClaimAsync("w1", -1, ["echo"]))).ParamName);
        Assert.Equal("kinds", (await Assert.ThrowsAnyAsync<ArgumentException>(async () => await s.Store.ClaimAsync("w1", 1, []))).ParamName);

        var task = await s.GetAsync("t1");
        Assert.Equal(TaskLifecycle.State.Queued, task.State);
        Assert.Equal(0, task.Epoch);
        Assert.Single(await s.HistoryAsync("t1"));
    }

    [StoreFact]
    public async Task Nothing_to_claim_gives_an_empty_list()
    {
        await using var s = await OpenAsync();
        Assert.Empty(await s.ClaimAsync());
        await s.CreateAsync("t1");
        await s.ClaimOneAsync();
        Assert.Empty(await s.ClaimAsync());
    }

    [StoreFact]
    public async Task The_earliest_created_task_is_claimed_first_whatever_its_id()
    {
        await using var s = await OpenAsync();
        foreach (var id in new[] { "t3", "t1", "t5", "t2", "t4" })
        {
            await s.CreateAsync(id);
        }

        Assert.Equal(["t3", "t1"], (await s.ClaimAsync("w1", 2)).Select(a => a.TaskId));
        Assert.Equal(["t5", "t2"], (await s.ClaimAsync("w2", 2)).Select(a => a.TaskId));
        Assert.Equal(["t4"], (await s.ClaimAsync("w3", 2)).Select(a => a.TaskId));
    }

    [StoreFact]
    public async Task A_task_queued_again_keeps_its_place_by_creation()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("a");
        await s.CreateAsync("b");
        await s.CreateAsync("c");
        var a = await s.ClaimOneAsync("w1");
        Assert.True(await s.Store.AbandonAsync(a, "shutting down"));

        var again = await s.ClaimOneAsync("w2");
        Assert.Equal("a", again.TaskId);
        Assert.True(await s.Store.CompleteAsync(again, "1", 0m));

        var b = await s.ClaimOneAsync("w3");
        Assert.Equal("b", b.TaskId);
        s.GoStale();
        Assert.Equal(1, await s.Store.SweepAsync());
        Assert.Equal("b", (await s.ClaimOneAsync("w4")).TaskId);
        Assert.Equal("c", (await s.ClaimOneAsync("w4")).TaskId);
    }

    [StoreFact]
    public async Task A_retry_that_came_due_is_claimed_before_tasks_created_after_it()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("first");
        var attempt = await s.ClaimOneAsync();
        await s.CreateAsync("second");
        Assert.True(await s.Store.FailAsync(attempt, "boom", 0m));
        s.Advance(Policies.ThreeTries.InitialDelay);

        Assert.Equal(["first", "second"], (await s.ClaimAsync("w2", 5)).Select(a => a.TaskId));
    }

    [StoreFact]
    public async Task At_most_max_tasks_are_claimed()
    {
        await using var s = await OpenAsync();
        for (var i = 0; i < 5; i++)
        {
            await s.CreateAsync($"t{i}");
        }

        Assert.Equal(3, (await s.ClaimAsync("w1", 3)).Count);
        Assert.Single(await s.ClaimAsync("w1", 1));
        Assert.Single(await s.ClaimAsync("w1", 3));
        Assert.Empty(await s.ClaimAsync("w1", 3));
    }

    [StoreFact]
    public async Task Only_tasks_of_the_given_kinds_are_claimed_and_the_others_are_left_as_they_were()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("e1", "echo");
        await s.CreateAsync("o1", "other");
        await s.CreateAsync("e2", "echo");
        await s.CreateAsync("o2", "other");
        var echoes = new[] { await s.GetAsync("e1"), await s.GetAsync("e2") };

        Assert.Equal(["o1", "o2"], (await s.Store.ClaimAsync("w1", 10, ["other", "no-such-kind"])).Select(a => a.TaskId));
        Assert.Empty(await s.Store.ClaimAsync("w1", 10, ["no-such-kind"]));
        Assert.Empty(await s.Store.ClaimAsync("w1", 10, ["ECHO"]));

        foreach (var echo in echoes)
        {
            Expect.SameTask(echo, await s.GetAsync(echo.Id));
            Assert.Single(await s.HistoryAsync(echo.Id));
        }

        Assert.Equal(["e1", "e2"], (await s.Store.ClaimAsync("w2", 10, ["echo"])).Select(a => a.TaskId));
    }

    [StoreFact]
    public async Task A_retry_is_claimed_only_once_its_due_time_is_reached()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1");
        var first = await s.ClaimOneAsync();
        Assert.True(await s.Store.FailAsync(first, "boom", 0m));
        var dueAt = (await s.GetAsync("t1")).DueAt!.Value;
        Assert.Equal(s.Now + Policies.ThreeTries.InitialDelay, dueAt);

        Assert.Empty(await s.ClaimAsync());
        s.Advance(dueAt - s.Now - StoreHarness.Millisecond);
        Assert.Empty(await s.ClaimAsync());
        var before = await s.GetAsync("t1");
        Assert.Equal(TaskLifecycle.State.RetryScheduled, before.State);

        s.Advance(StoreHarness.Millisecond);
        var second = await s.ClaimOneAsync("w2");

        Assert.Equal(2, second.Number);
        Assert.Equal(2, second.Epoch);
        var task = await s.GetAsync("t1");
        Assert.Equal(TaskLifecycle.State.Running, task.State);
        Assert.Null(task.DueAt);
        Assert.Equal(2, task.Attempts);
    }

    [StoreFact]
    public async Task Epochs_go_up_by_one_with_every_claim_whatever_ended_the_attempt_before()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1", retry: Policies.ThreeTries with { MaxAttempts = 10 });
        var epochs = new List<long>();

        var attempt = await s.ClaimOneAsync("w1");
        epochs.Add(attempt.Epoch);
        s.GoStale();
        Assert.Equal(1, await s.Store.SweepAsync());

        attempt = await s.ClaimOneAsync("w2");
        epochs.Add(attempt.Epoch);
        Assert.True(await s.Store.AbandonAsync(attempt, "stopping"));

        attempt = await s.ClaimOneAsync("w3");
        epochs.Add(attempt.Epoch);
        Assert.True(await s.Store.FailAsync(attempt, "boom", 0m));
        s.Advance(TimeSpan.FromMinutes(1));

        attempt = await s.ClaimOneAsync("w1");
        epochs.Add(attempt.Epoch);

        Assert.Equal([1L, 2L, 3L, 4L], epochs);
        Assert.Equal(4, attempt.Number);
        Assert.Equal(4, (await s.GetAsync("t1")).Epoch);
    }

    [StoreFact]
    public async Task A_running_task_whose_lease_went_stale_is_not_claimed_until_a_sweep_takes_it_back()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1");
        await s.ClaimOneAsync("w1");
        s.GoStale();
        var stale = await s.GetAsync("t1");
        var history = await s.HistoryAsync("t1");

        Assert.Empty(await s.ClaimAsync("w2"));
        Expect.SameTask(stale, await s.GetAsync("t1"));
        Expect.SameHistory(history, await s.HistoryAsync("t1"));

        Assert.Equal(1, await s.Store.SweepAsync());
        var attempt = await s.ClaimOneAsync("w2");
        Assert.Equal(2, attempt.Epoch);
        Assert.Equal(2, attempt.Number);
    }

    [StoreFact]
    public async Task Many_concurrent_claimers_claim_every_task_exactly_once()
    {
        const int tasks = 200;
        await using var s = await OpenAsync();
        for (var i = 0; i < tasks; i++)
        {
            await s.CreateAsync($"t{i:D3}", i % 2 == 0 ? "echo" : "other");
        }

        var claims = new ConcurrentBag<StoredAttempt>();
        var claimers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            // A claim may find nothing while another claimer holds the candidates; stop once none is left queued.
            for (var round = 0; round < 10_000; round++)
            {
                var got = await s.Store.ClaimAsync($"w{w}", 1 + (w % 4), ["echo", "other"]);
                foreach (var attempt in got)
                {
                    claims.Add(attempt);
                }

                if (got.Count == 0 && (await s.Store.ListTasksAsync(TaskLifecycle.State.Queued)).Count == 0)
                {
                    return;
                }
            }

            Assert.Fail($"w{w} still found queued tasks after 10000 claims.");
        })).ToArray();
        await Task.WhenAll(claimers);

        var byTask = claims.GroupBy(a => a.TaskId).ToList();
        Assert.Equal(tasks, claims.Count);
        Assert.Equal(tasks, byTask.Count);
        foreach (var attempt in claims)
        {
            var task = await s.GetAsync(attempt.TaskId);
            Assert.Equal(TaskLifecycle.State.Running, task.State);
            Assert.Equal(1, task.Attempts);
            Assert.Equal(1, task.Epoch);
            Assert.Equal(attempt.Owner, task.Owner);
            Assert.Equal(1, attempt.Epoch);
            Assert.Equal(2, (await s.HistoryAsync(attempt.TaskId)).Count);
        }
    }

    [StoreFact]
    public async Task A_task_whose_resources_are_held_is_skipped_unchanged_and_claimed_once_they_are_released()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("holder", resources: ["r1", "r2"]);
        await s.CreateAsync("blocked", resources: ["r2", "r3"]);
        await s.CreateAsync("free", resources: ["r3"]);
        await s.CreateAsync("plain");
        var holder = await s.ClaimOneAsync("w1");
        var blocked = await s.GetAsync("blocked");

        Assert.Equal(["free", "plain"], (await s.ClaimAsync("w2", 10)).Select(a => a.TaskId));
        Expect.SameTask(blocked, await s.GetAsync("blocked"));
        Assert.Single(await s.HistoryAsync("blocked"));
        Assert.Empty(await s.ClaimAsync("w2"));

        // r3 is held by "free" now, r2 by "holder": both must go before "blocked" runs.
        Assert.True(await s.Store.CompleteAsync(holder, "1", 0m));
        Assert.Empty(await s.ClaimAsync("w2"));
        Assert.Equal(0, (await s.GetAsync("blocked")).Attempts);
        var free = (await s.Store.ListTasksAsync(TaskLifecycle.State.Running)).Single(t => t.Id == "free");
        var freeAttempt = new StoredAttempt(free.Id, free.Kind, free.Input, free.Attempts, free.Owner!, free.Epoch, free.LeaseExpiresAt!.Value);
        Assert.True(await s.Store.AbandonAsync(freeAttempt, "make room"));

        var attempt = await s.ClaimOneAsync("w3");
        Assert.Equal("blocked", attempt.TaskId);
        Assert.Equal(["r2", "r3"], attempt.Resources);
    }

    [StoreFact]
    public async Task A_claim_with_resources_records_their_acquisition_and_holds_them_under_a_lock_lease()
    {
        await using var s = await OpenAsync();
        var createdAt = s.Now;
        await s.CreateAsync("t1", resources: ["src/z.cs", "src/a.cs"]);
        s.Advance(TimeSpan.FromSeconds(1));

        var attempt = await s.ClaimOneAsync("w1");

        Expect.SameHistory(
            [
                TaskEvents.Submitted(createdAt, "echo"),
                new TaskEvent(s.Now, TaskEventKind.ResourcesAcquired, 1, "w1", 1, "Acquired 'src/a.cs', 'src/z.cs'."),
                TaskEvents.AttemptStarted(s.Now, 1, "w1", attempt.Epoch),
            ],
            await s.HistoryAsync("t1"));
        var lease = Assert.Single(await s.Store.ListLocksAsync());
        Assert.Equal("t1", lease.TaskId);
        Assert.Equal("w1", lease.Owner);
        Assert.Equal(1, lease.Epoch);
        Assert.Equal(["src/a.cs", "src/z.cs"], lease.Resources.Select(r => r.Value));
        Assert.Equal(attempt.ExpiresAt, lease.ExpiresAt);
    }

    [StoreFact]
    public async Task A_task_lock_epoch_is_one_more_than_the_latest_epoch_of_its_keys()
    {
        await using var s = await OpenAsync();
        var manual = await s.Store.TryAcquireLocksAsync("manual", "ops", ["r1"]);
        Assert.True(manual.Acquired);
        Assert.True(await s.Store.ReleaseLocksAsync(manual.Lease));
        var again = await s.Store.TryAcquireLocksAsync("manual", "ops", ["r1"]);
        Assert.Equal(2, again.Lease!.Epoch);
        await s.CreateAsync("t1", resources: ["r1", "r2"]);

        Assert.Empty(await s.ClaimAsync("w1"));
        Assert.True(await s.Store.ReleaseLocksAsync(again.Lease));
        await s.ClaimOneAsync("w1");

        var acquired = (await s.HistoryAsync("t1")).Single(e => e.Kind == TaskEventKind.ResourcesAcquired);
        Assert.Equal(3, acquired.Epoch);
        Assert.Equal(3, (await s.Store.ListLocksAsync()).Single().Epoch);
    }

    [StoreFact]
    public async Task A_stale_lock_holder_does_not_block_a_claim()
    {
        await using var s = await OpenAsync();
        var manual = await s.Store.TryAcquireLocksAsync("manual", "ops", ["r1"]);
        await s.CreateAsync("t1", resources: ["r1"]);
        Assert.Empty(await s.ClaimAsync("w1"));

        s.Advance(s.StaleAfter);
        Assert.Empty(await s.ClaimAsync("w1"));
        s.Advance(StoreHarness.Millisecond);

        var attempt = await s.ClaimOneAsync("w1");
        Assert.Equal("t1", attempt.TaskId);
        Assert.Equal(manual.Lease!.Epoch + 1, (await s.Store.ListLocksAsync()).Single().Epoch);
        Assert.Null(await s.Store.RenewLocksAsync(manual.Lease));
    }
}
