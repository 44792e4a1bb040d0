namespace Weaver.Stores.Tests.Conformance;

/// <summary>The contract's tasks: create, read, list, history, validation, UTC times and exact payloads (contract 2, 10, 12).</summary>
/// <param name="provider">The provider under test.</param>
public abstract class TaskConformance(StoreProvider provider) : StoreTests(provider)
{
    [StoreFact]
    public async Task Create_stores_a_queued_task_with_no_attempts_and_a_submitted_event()
    {
        await using var s = await OpenAsync();
        var job = new JobTaskRef(new JobId("job-1"), "step-a");
        var created = await s.Store.CreateTaskAsync(new NewTask("t1", "echo", """{"n":1}""", Policies.ThreeTries) { Resources = ["db:a", "db:b"], Job = job });

        var expected = new StoredTask("t1", "echo", TaskLifecycle.State.Queued, """{"n":1}""", 0, Policies.ThreeTries, 0, null, null, null, null, null, 0m, s.Now)
        {
            Resources = ["db:a", "db:b"],
            Job = job,
        };
        Expect.SameTask(expected, created);
        Expect.SameTask(expected, await s.GetAsync("t1"));
        Expect.SameHistory([TaskEvents.Submitted(s.Now, "echo")], await s.HistoryAsync("t1"));
    }

    [StoreFact]
    public async Task An_unknown_task_reads_as_null_with_an_empty_history()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1");

        Assert.Null(await s.Store.GetTaskAsync("t2"));
        Assert.Null(await s.Store.GetTaskAsync("T1"));
        Assert.Empty(await s.HistoryAsync("t2"));
    }

    [StoreFact]
    public async Task A_duplicate_id_is_rejected_and_changes_nothing()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1", input: """{"first":true}""");
        var attempt = await s.ClaimOneAsync("w1");
        var before = await s.GetAsync("t1");
        var history = await s.HistoryAsync("t1");
        s.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<DuplicateTaskException>(async () =>
            await s.Store.CreateTaskAsync(new NewTask("t1", "other", """{"second":true}""", Policies.OneTry)));

        Assert.Equal("t1", error.TaskId);
        Assert.Contains("'t1'", error.Message, StringComparison.Ordinal);
        Expect.SameTask(before, await s.GetAsync("t1"));
        Expect.SameHistory(history, await s.HistoryAsync("t1"));
        Assert.Single(await s.Store.ListTasksAsync());
        Assert.True(await s.Store.CompleteAsync(attempt, "1", 0m), "the first task's attempt still holds its lease");
    }

    [StoreFact]
    public async Task Ids_differing_only_in_case_are_different_tasks()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("task");
        await s.CreateAsync("Task");

        Assert.Equal(["Task", "task"], (await s.Store.ListTasksAsync()).Select(t => t.Id));
    }

    public static TheoryData<string, string> InvalidTasks => new()
    {
        { "empty id", "task id" },
        { "white-space id", "task id" },
        { "empty kind", "kind" },
        { "white-space kind", "kind" },
        { "zero attempts", "MaxAttempts" },
        { "negative jitter", "Jitter" },
        { "white-space resource", "resource key" },
        { "resource above its root", "climbs above its root" },
        { "resource of dots", "normalizes to nothing" },
    };

    [StoreTheory]
    [MemberData(nameof(InvalidTasks))]
    public async Task An_invalid_task_is_rejected_with_a_message_that_says_what_is_wrong_and_nothing_is_stored(string problem, string message)
    {
        await using var s = await OpenAsync();
        var valid = new NewTask("t1", "echo", "{}", Policies.ThreeTries);
        var task = problem switch
        {
            "empty id" => valid with { Id = "" },
            "white-space id" => valid with { Id = " \t" },
            "empty kind" => valid with { Kind = "" },
            "white-space kind" => valid with { Kind = "  " },
            "zero attempts" => valid with { Retry = Policies.ThreeTries with { MaxAttempts = 0 } },
            "negative jitter" => valid with { Retry = Policies.ThreeTries with { Jitter = -0.1 } },
            "white-space resource" => valid with { Resources = ["db:a", " "] },
            "resource above its root" => valid with { Resources = ["../outside.txt"] },
            "resource of dots" => valid with { Resources = ["a/.."] },
            _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, "not a case of this test"),
        };

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(async () => await s.Store.CreateTaskAsync(task));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Empty(await s.Store.ListTasksAsync());
        Assert.Empty(await s.HistoryAsync(task.Id));
    }

    [StoreFact]
    public async Task Resource_keys_are_normalized_and_kept_distinct_in_the_order_given()
    {
        await using var s = await OpenAsync();
        var created = await s.CreateAsync("t1", resources: ["src\\b.cs", ".//x/../a.cs", "src/b.cs", "db:orders", "a.cs", "A.cs"]);

        string[] expected = ["src/b.cs", "a.cs", "db:orders", "A.cs"];
        Assert.Equal(expected, created.Resources);
        Assert.Equal(expected, (await s.GetAsync("t1")).Resources);
        Assert.Equal(expected, (await s.ClaimOneAsync()).Resources);
    }

    [StoreFact]
    public async Task List_orders_tasks_by_id_ordinally_and_filters_by_state()
    {
        await using var s = await OpenAsync();
        foreach (var id in new[] { "b", "a", "B", "a2", "_", "é" })
        {
            await s.CreateAsync(id);
        }

        var running = await s.ClaimOneAsync(); // "b", the earliest created
        var cancelled = "a2";
        Assert.True(await s.Store.CancelAsync(cancelled));

        Assert.Equal(["B", "_", "a", "a2", "b", "é"], (await s.Store.ListTasksAsync()).Select(t => t.Id));
        Assert.Equal(["B", "_", "a", "é"], (await s.Store.ListTasksAsync(TaskLifecycle.State.Queued)).Select(t => t.Id));
        Assert.Equal([running.TaskId], (await s.Store.ListTasksAsync(TaskLifecycle.State.Running)).Select(t => t.Id));
        Assert.Equal([cancelled], (await s.Store.ListTasksAsync(TaskLifecycle.State.Cancelled)).Select(t => t.Id));
        Assert.Empty(await s.Store.ListTasksAsync(TaskLifecycle.State.Dead));
        foreach (var task in await s.Store.ListTasksAsync())
        {
            Expect.SameTask(await s.GetAsync(task.Id), task);
        }
    }

    [StoreFact]
    public async Task Every_time_is_utc_and_follows_the_store_clock()
    {
        await using var s = await OpenAsync();
        var now = await s.Store.NowAsync();
        Assert.Equal(s.Now, now);
        Assert.Equal(TimeSpan.Zero, now.Offset);

        var created = await s.CreateAsync("t1");
        s.Advance(TimeSpan.FromSeconds(3));
        var attempt = await s.ClaimOneAsync();
        var claimedAt = s.Now;
        s.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await s.Store.FailAsync(attempt, "boom", 0m));
        var task = await s.GetAsync("t1");

        Assert.Equal(TimeSpan.Zero, created.CreatedAt.Offset);
        Assert.Equal(claimedAt + s.StaleAfter, attempt.ExpiresAt);
        Assert.Equal(TimeSpan.Zero, attempt.ExpiresAt.Offset);
        Assert.Equal(s.Now + Policies.ThreeTries.InitialDelay, task.DueAt);
        Expect.AssertUtc(task);
        Assert.All(await s.HistoryAsync("t1"), e => Assert.Equal(TimeSpan.Zero, e.At.Offset));
        Assert.Equal(s.Now, await s.Store.NowAsync());
    }

    public static TheoryData<string> Payloads => new()
    {
        "{}",
        """{ "spaced" :  [1, 2 ,3] ,"keep":"this layout"  }""",
        """{"quotes":"it's \"quoted\" and 'single'","backslash":"C:\\temp\\x"}""",
        """{"unicode":"héllo wörld ✓ 你好 שלום 🧵🔥","escaped":"\u00e9\ud83d\ude00"}""",
        """"just a JSON string"""",
        "42",
        "null",
        "[true,false,null,1.50,-0,1e400]",
        "{\"lines\":\"a\\nb\"}\n\t ",
    };

    [StoreTheory]
    [MemberData(nameof(Payloads))]
    public async Task Inputs_and_results_come_back_exactly_as_given(string payload)
    {
        await using var s = await OpenAsync();
        Assert.Equal(payload, (await s.CreateAsync("t1", input: payload)).Input);
        Assert.Equal(payload, (await s.GetAsync("t1")).Input);
        var attempt = await s.ClaimOneAsync();
        Assert.Equal(payload, attempt.Input);
        Assert.True(await s.Store.CompleteAsync(attempt, payload, 0m));
        var task = await s.GetAsync("t1");
        Assert.Equal(payload, task.Result);
        Assert.Equal(payload, task.Input);
    }

    [StoreFact]
    public async Task A_100_kb_payload_and_a_null_input_come_back_exactly()
    {
        await using var s = await OpenAsync();
        var big = "{\"data\":\"" + string.Concat(Enumerable.Range(0, 7_000).Select(i => $"{i:x4}-é✓🧵-abcde")) + "\"}";
        Assert.True(big.Length >= 100 * 1024, $"the payload is {big.Length} characters");

        await s.CreateAsync("big", input: big);
        await s.CreateAsync("none", input: null);
        var attempts = await s.ClaimAsync();

        Assert.Equal(big, attempts.Single(a => a.TaskId == "big").Input);
        Assert.Null(attempts.Single(a => a.TaskId == "none").Input);
        Assert.True(await s.Store.CompleteAsync(attempts.Single(a => a.TaskId == "big"), big, 0m));
        Assert.True(await s.Store.CompleteAsync(attempts.Single(a => a.TaskId == "none"), null, 0m));
        Assert.Equal(big, (await s.GetAsync("big")).Result);
        Assert.Equal(big, (await s.GetAsync("big")).Input);
        Assert.Null((await s.GetAsync("none")).Result);
        Assert.Null((await s.GetAsync("none")).Input);
    }

    [StoreFact]
    public async Task History_keeps_every_field_of_every_event_oldest_first()
    {
        await using var s = await OpenAsync();
        var t0 = s.Now;
        await s.CreateAsync("t1", retry: Policies.ThreeTries, resources: ["z", "a"]);
        s.Advance(TimeSpan.FromSeconds(1));
        var first = await s.ClaimOneAsync("w1");
        var t1 = s.Now;
        s.Advance(TimeSpan.FromSeconds(1));
        var decision = new Decision("policy: pick the cheaper plan", "evidence: plan A costs 3, plan B costs 5", "chose plan A");
        Assert.True(await s.Store.RecordDecisionAsync(first, decision));
        var t2 = s.Now;
        s.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await s.Store.FailAsync(first, "timeout", 1.5m));
        var t3 = s.Now;
        var (retryAt, failed) = TaskEvents.Failed(t3, Policies.ThreeTries, 1, "w1", first.Epoch, "timeout", StoreSetup.DefaultJitter);
        s.Advance(retryAt!.Value - s.Now);
        var second = await s.ClaimOneAsync("w2");
        var t4 = s.Now;
        s.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await s.Store.CompleteAsync(second, "\"done\"", 2m));
        var t5 = s.Now;

        Assert.Equal(first.Epoch + 1, second.Epoch);
        Expect.SameHistory(
            [
                TaskEvents.Submitted(t0, "echo"),
                new TaskEvent(t1, TaskEventKind.ResourcesAcquired, 1, "w1", 1, "Acquired 'a', 'z'."),
                TaskEvents.AttemptStarted(t1, 1, "w1", first.Epoch),
                TaskEvents.DecisionRecorded(t2, 1, "w1", first.Epoch, decision),
                new TaskEvent(t3, TaskEventKind.ResourcesReleased, 1, "w1", 1, "Released 'a', 'z'."),
                failed,
                new TaskEvent(t4, TaskEventKind.ResourcesAcquired, 2, "w2", 2, "Acquired 'a', 'z'."),
                TaskEvents.AttemptStarted(t4, 2, "w2", second.Epoch),
                new TaskEvent(t5, TaskEventKind.ResourcesReleased, 2, "w2", 2, "Released 'a', 'z'."),
                TaskEvents.Succeeded(t5, 2, "w2", second.Epoch),
            ],
            await s.HistoryAsync("t1"));
        Assert.NotNull(failed.Decision);
        Assert.Equal(AttemptOutcome.Failed, failed.Outcome);
        Assert.Equal(3.5m, (await s.GetAsync("t1")).Cost);
    }
}
