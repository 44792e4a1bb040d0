using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Weaver.PostgreSql;

namespace Weaver.Stores.Tests.Postgres;

/// <summary>
/// The PostgreSQL store's own behaviour, beyond the conformance suite: the full lifecycle with its history texts, the
/// database clock, microsecond time, bad rows, text that must stay text, schemas and migrations.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlStoreTests(PostgresCluster cluster)
{
    private static readonly string[] Kinds = ["echo"];

    [PostgresFact]
    public async Task A_task_runs_to_success_with_the_engines_history_and_its_resources_released()
    {
        var time = PostgresStores.NewClock();
        await using var store = await PostgresStores.OpenAsync(cluster, time);
        var created = await store.CreateTaskAsync(new NewTask("t1", "echo", """{"b": 1,  "a": [2]}""", RetryPolicy.Default)
        {
            Resources = ["src//b.cs", "./src/a.cs", "src/b.cs"],
            Job = new JobTaskRef(new JobId("job-1"), "step-1"),
        });
        Assert.Equal(["src/b.cs", "src/a.cs"], created.Resources);
        var t0 = time.GetUtcNow();

        var attempt = Assert.Single(await store.ClaimAsync("w1", 5, Kinds));
        Assert.Equal(("t1", 1, "w1", 1L, t0 + PostgresStores.Leases.StaleAfter), (attempt.TaskId, attempt.Number, attempt.Owner, attempt.Epoch, attempt.ExpiresAt));
        Assert.Equal(new JobTaskRef(new JobId("job-1"), "step-1"), attempt.Job);
        var lease = Assert.Single(await store.ListLocksAsync());
        Assert.Equal(("t1", "w1", 1L), (lease.TaskId, lease.Owner, lease.Epoch));

        time.Advance(TimeSpan.FromSeconds(3));
        Assert.True(await store.CompleteAsync(attempt, """{"ok":true}""", 1.25m));
        Assert.Empty(await store.ListLocksAsync());

        var task = await store.GetTaskAsync("t1");
        Assert.NotNull(task);
        Assert.Equal(TaskLifecycle.State.Succeeded, task.State);
        Assert.Equal(("""{"b": 1,  "a": [2]}""", """{"ok":true}""", 1.25m, 1, 1L), (task.Input, task.Result, task.Cost, task.Attempts, task.Epoch));
        Assert.Null(task.Owner);
        Assert.Null(task.LeaseExpiresAt);

        var t1 = time.GetUtcNow();
        var expected = new[]
        {
            TaskEvents.Submitted(t0, "echo"),
            new TaskEvent(t0, TaskEventKind.ResourcesAcquired, 1, "w1", 1, "Acquired 'src/a.cs', 'src/b.cs'."),
            TaskEvents.AttemptStarted(t0, 1, "w1", 1),
            new TaskEvent(t1, TaskEventKind.ResourcesReleased, 1, "w1", 1, "Released 'src/a.cs', 'src/b.cs'."),
            TaskEvents.Succeeded(t1, 1, "w1", 1),
        };
        Assert.Equal(expected, await store.GetHistoryAsync("t1"));
    }

    [PostgresFact]
    public async Task Failures_schedule_retries_by_the_policy_then_kill_the_task_and_late_writes_are_rejected()
    {
        var time = PostgresStores.NewClock();
        await using var store = await PostgresStores.OpenAsync(cluster, time);
        var retry = new RetryPolicy { MaxAttempts = 2, InitialDelay = TimeSpan.FromSeconds(10), Jitter = 0.2 };
        await store.CreateTaskAsync(new NewTask("t1", "echo", null, retry));

        var first = Assert.Single(await store.ClaimAsync("w1", 1, Kinds));
        var failedAt = time.GetUtcNow();
        Assert.True(await store.FailAsync(first, "boom", 0.5m));
        var (dueAt, failed) = TaskEvents.Failed(failedAt, retry, 1, "w1", 1, "boom", 0.5);
        var task = (await store.GetTaskAsync("t1"))!;
        Assert.Equal((TaskLifecycle.State.RetryScheduled, dueAt, "boom"), (task.State, task.DueAt, task.Error));

        time.Advance(TimeSpan.FromSeconds(11) - TimeSpan.FromTicks(10)); // the delay is 11 s with jitter 0.5 * 0.2
        Assert.Empty(await store.ClaimAsync("w2", 1, Kinds));
        Assert.False(await store.CompleteAsync(first, null, 0)); // the first attempt lost its lease with its failure
        time.Advance(TimeSpan.FromTicks(10));
        var second = Assert.Single(await store.ClaimAsync("w2", 1, Kinds));
        Assert.Equal((2, 2L), (second.Number, second.Epoch));
        Assert.Null((await store.GetTaskAsync("t1"))!.DueAt);

        Assert.True(await store.FailAsync(second, "boom again", 0.25m, permanent: false));
        task = (await store.GetTaskAsync("t1"))!;
        Assert.Equal((TaskLifecycle.State.Dead, 0.75m, 2), (task.State, task.Cost, task.Attempts));
        var history = await store.GetHistoryAsync("t1");
        Assert.Equal(failed, history[2]);
        Assert.Equal(TaskEvents.Rejected(dueAt!.Value - TimeSpan.FromTicks(10), 1, "w1", 1, "commit"), history[3]);
        Assert.Equal(TaskEventKind.Dead, history[^1].Kind);
        Assert.NotNull(history[^1].Decision);
        Assert.Equal(AttemptOutcome.Failed, history[^1].Outcome);
    }

    [PostgresFact]
    public async Task A_lease_is_live_at_its_expiry_and_stale_one_tick_later_though_PostgreSQL_keeps_microseconds()
    {
        var time = PostgresStores.NewClock();
        await using var store = await PostgresStores.OpenAsync(cluster, time);
        await store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default));
        var attempt = Assert.Single(await store.ClaimAsync("w1", 1, Kinds));

        time.SetUtcNow(attempt.ExpiresAt);
        var renewed = await store.RenewAsync(attempt);
        Assert.NotNull(renewed);
        Assert.Equal(attempt.ExpiresAt + PostgresStores.Leases.StaleAfter, renewed.ExpiresAt);

        time.SetUtcNow(renewed.ExpiresAt + TimeSpan.FromTicks(1));
        Assert.Null(await store.RenewAsync(renewed));
        Assert.False(await store.RecordDecisionAsync(renewed, new Decision("p", "e", "c")));
        Assert.Equal(1, await store.SweepAsync());
        var history = await store.GetHistoryAsync("t1");
        Assert.Equal(TaskEvents.HeartbeatRejected(Microsecond(time), 1, "w1", 1), history[2]);
        Assert.Equal(TaskEventKind.WriteRejected, history[3].Kind);
        Assert.Equal(TaskEventKind.Reclaimed, history[4].Kind);
    }

    [PostgresFact]
    public async Task The_default_mode_judges_expiry_by_the_database_clock()
    {
        var connectionString = await PostgresStores.NewDatabaseAsync(cluster);
        await using var store = await PostgreSqlWeaverStore.OpenAsync(PostgresStores.Options(connectionString, time: null));
        await store.CreateTaskAsync(new NewTask("stale", "echo", null, RetryPolicy.Default));
        await store.CreateTaskAsync(new NewTask("live", "echo", null, RetryPolicy.Default));
        var before = (DateTime)(await PostgresStores.ExecuteAsync(connectionString, "SELECT now()"))!;
        var claimed = await store.ClaimAsync("w1", 2, Kinds);
        var after = (DateTime)(await PostgresStores.ExecuteAsync(connectionString, "SELECT now()"))!;
        Assert.Equal(2, claimed.Count);
        Assert.All(claimed, a => Assert.InRange(a.ExpiresAt, before + PostgresStores.Leases.StaleAfter, after + PostgresStores.Leases.StaleAfter));

        await PostgresStores.ExecuteAsync(connectionString, "UPDATE weaver.tasks SET lease_expires_at = now() - interval '1 second' WHERE id = 'stale'");
        await PostgresStores.ExecuteAsync(connectionString, "UPDATE weaver.tasks SET lease_expires_at = now() + interval '1 hour' WHERE id = 'live'");

        Assert.Equal(1, await store.SweepAsync());
        Assert.Equal(TaskLifecycle.State.Queued, (await store.GetTaskAsync("stale"))!.State);
        Assert.Equal(TaskLifecycle.State.Running, (await store.GetTaskAsync("live"))!.State);
        var live = claimed.Single(a => a.TaskId == "live");
        Assert.NotNull(await store.RenewAsync(live));
        Assert.False(await store.CompleteAsync(claimed.Single(a => a.TaskId == "stale"), null, 0));
        var now = await store.NowAsync();
        Assert.InRange(now, new DateTimeOffset(after), new DateTimeOffset(after) + TimeSpan.FromMinutes(1));
    }

    [PostgresFact]
    public async Task A_row_with_an_unknown_state_is_named_by_get_skipped_and_logged_by_list_and_cancel_and_never_claimed()
    {
        var logs = new ListLoggerFactory();
        var connectionString = await PostgresStores.NewDatabaseAsync(cluster);
        await using var store = await PostgreSqlWeaverStore.OpenAsync(PostgresStores.Options(connectionString, PostgresStores.NewClock(), logs));
        await store.CreateTaskAsync(new NewTask("good", "echo", null, RetryPolicy.Default));
        await store.CreateTaskAsync(new NewTask("bad", "echo", null, RetryPolicy.Default));
        await PostgresStores.ExecuteAsync(connectionString, "UPDATE weaver.tasks SET state = 'Paused' WHERE id = 'bad'");

        var error = await Assert.ThrowsAsync<StoreRowException>(async () => await store.GetTaskAsync("bad"));
        Assert.Equal(("weaver.tasks", "bad"), (error.Table, error.RowId));
        Assert.Contains("'Paused' is not a task state", error.Message);
        Assert.False(await store.CancelAsync("bad"));
        Assert.Contains("Did not cancel row 'bad' of 'weaver.tasks'", Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning).Message);

        var listed = await store.ListTasksAsync();
        Assert.Equal(["good"], listed.Select(t => t.Id));
        var warning = logs.Entries.Where(e => e.Level == LogLevel.Warning).Last();
        Assert.Contains("Skipped row 'bad' of 'weaver.tasks'", warning.Message);
        Assert.Contains("'Paused'", warning.Message);

        Assert.Equal(["good"], (await store.ClaimAsync("w1", 5, Kinds)).Select(a => a.TaskId));
        Assert.Equal(0, await store.SweepAsync());
        Assert.Equal("Paused", await PostgresStores.ExecuteAsync(connectionString, "SELECT state FROM weaver.tasks WHERE id = 'bad'"));
    }

    [PostgresFact]
    public async Task Text_reaches_SQL_only_as_parameters_and_comes_back_exactly()
    {
        await using var store = await PostgresStores.OpenAsync(cluster, PostgresStores.NewClock());
        const string Id = "x'); DROP TABLE weaver.tasks; --";
        const string Kind = "kind\"; DELETE FROM weaver.jobs; --";
        const string Input = "{ \"z\" : 1,\n \"a\": \"é \\u00e9 😀\", \"q\": \"'\" }";
        await store.CreateTaskAsync(new NewTask(Id, Kind, Input, RetryPolicy.Default) { Resources = ["db:'orders'"] });
        await store.CreateJobAsync(new NewJob("j'1", "Running", "{\"k\":  [1, 2]}"));

        var attempt = Assert.Single(await store.ClaimAsync("o'wner", 1, [Kind]));
        Assert.Equal((Id, Kind, Input), (attempt.TaskId, attempt.Kind, attempt.Input));
        Assert.True(await store.RecordDecisionAsync(attempt, new Decision("p'", "e\"", "c;--")));
        Assert.True(await store.FailAsync(attempt, "it's broken; DROP TABLE x", 0, permanent: true));

        var task = (await store.GetTaskAsync(Id))!;
        Assert.Equal((Input, "it's broken; DROP TABLE x", TaskLifecycle.State.Dead), (task.Input, task.Error, task.State));
        Assert.Equal(new Decision("p'", "e\"", "c;--"), (await store.GetHistoryAsync(Id))[3].Decision);
        Assert.Equal("{\"k\":  [1, 2]}", (await store.GetJobAsync("j'1"))!.Document);
    }

    [PostgresFact]
    public async Task Text_PostgreSQL_cannot_hold_is_refused_with_a_clear_error_and_nothing_is_written()
    {
        await using var store = await PostgresStores.OpenAsync(cluster, PostgresStores.NewClock());
        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await store.CreateTaskAsync(new NewTask("t1", "echo", "{\"a\":\"\0\"}", RetryPolicy.Default)));
        Assert.Contains("NUL character (U+0000)", error.Message);
        Assert.Contains("task input", error.Message);
        Assert.Empty(await store.ListTasksAsync());
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.CreateJobAsync(new NewJob("j\0", "Running", "{}")));
    }

    [PostgresFact]
    public async Task Claims_take_the_earliest_runnable_tasks_of_the_given_kinds_and_skip_those_whose_resources_are_held()
    {
        var time = PostgresStores.NewClock();
        await using var store = await PostgresStores.OpenAsync(cluster, time);
        await store.CreateTaskAsync(new NewTask("z-first", "echo", null, RetryPolicy.Default) { Resources = ["r"] });
        await store.CreateTaskAsync(new NewTask("y-blocked", "echo", null, RetryPolicy.Default) { Resources = ["r", "s"] });
        await store.CreateTaskAsync(new NewTask("x-other-kind", "other", null, RetryPolicy.Default));
        await store.CreateTaskAsync(new NewTask("w-free", "echo", null, RetryPolicy.Default));
        await store.CreateTaskAsync(new NewTask("v-later", "echo", null, RetryPolicy.Default) { Resources = ["s"] });

        var claimed = await store.ClaimAsync("w1", 3, Kinds);
        Assert.Equal(["z-first", "w-free", "v-later"], claimed.Select(a => a.TaskId));
        var blocked = (await store.GetTaskAsync("y-blocked"))!;
        Assert.Equal((TaskLifecycle.State.Queued, 0, 0L), (blocked.State, blocked.Attempts, blocked.Epoch));
        Assert.Single(await store.GetHistoryAsync("y-blocked"));
        Assert.Equal(["v-later", "z-first"], (await store.ListLocksAsync()).Select(l => l.TaskId));

        Assert.Empty(await store.ClaimAsync("w2", 3, Kinds));
        Assert.True(await store.CompleteAsync(claimed[0], null, 0));
        Assert.True(await store.AbandonAsync(claimed[2], "shutting down"));
        var next = await store.ClaimAsync("w2", 3, Kinds);
        Assert.Equal(["y-blocked"], next.Select(a => a.TaskId));

        // Per-key epochs: r was held under epoch 1, s under 1; the new lease on both is 2.
        var lease = Assert.Single(await store.ListLocksAsync());
        Assert.Equal(("y-blocked", 2L), (lease.TaskId, lease.Epoch));
        Assert.Equal(new TaskEvent(time.GetUtcNow(), TaskEventKind.ResourcesAcquired, 1, "w2", 2, "Acquired 'r', 's'."), (await store.GetHistoryAsync("y-blocked"))[1]);
        Assert.Empty(await store.ClaimAsync("w3", 1, Kinds)); // v-later, handed back, needs s
    }

    [PostgresFact]
    public async Task Lock_epochs_never_go_down_per_key_and_conflicts_name_live_holders_in_key_order()
    {
        var time = PostgresStores.NewClock();
        await using var store = await PostgresStores.OpenAsync(cluster, time);
        var a = await store.TryAcquireLocksAsync("t-a", "w1", ["a"]);
        Assert.True(a.Acquired);
        Assert.Equal(1, a.Lease.Epoch);
        Assert.True(await store.ReleaseLocksAsync(a.Lease));
        Assert.False(await store.ReleaseLocksAsync(a.Lease));
        var ab = await store.TryAcquireLocksAsync("t-ab", "w1", ["b", "a", "./a"]);
        Assert.Equal(2, ab.Lease!.Epoch);
        Assert.Equal(["a", "b"], ab.Lease.Resources.Select(r => r.Value));
        var c = await store.TryAcquireLocksAsync("t-c", "w2", ["c"]);
        Assert.Equal(1, c.Lease!.Epoch);

        var refused = await store.TryAcquireLocksAsync("t-x", "w3", ["c", "b", "d"]);
        Assert.False(refused.Acquired);
        Assert.Equal(
            [new ResourceConflict(ResourceKey.Normalize("b"), "t-ab", "w1", 2, ab.Lease.ExpiresAt + TimeSpan.FromTicks(1)),
             new ResourceConflict(ResourceKey.Normalize("c"), "t-c", "w2", 1, c.Lease.ExpiresAt + TimeSpan.FromTicks(1))],
            refused.Conflicts);

        Assert.Null(await store.RenewLocksAsync(ab.Lease with { Resources = [ResourceKey.Normalize("a")] }));
        Assert.Null(await store.RenewLocksAsync(ab.Lease with { Epoch = 1 }));
        Assert.Null(await store.RenewLocksAsync(ab.Lease with { Owner = "w9" }));
        time.Advance(TimeSpan.FromSeconds(5));
        var renewed = await store.RenewLocksAsync(ab.Lease);
        Assert.Equal(ab.Lease.ExpiresAt + TimeSpan.FromSeconds(5), renewed!.ExpiresAt);
        Assert.Equal(["t-ab", "t-c"], (await store.ListLocksAsync()).Select(l => l.TaskId));

        // c goes stale (renewed ab does not): its key is taken over with a higher epoch.
        time.Advance(PostgresStores.Leases.StaleAfter - TimeSpan.FromSeconds(5) + TimeSpan.FromTicks(1));
        Assert.Equal(["t-ab"], (await store.ListLocksAsync()).Select(l => l.TaskId));
        var bc = await store.TryAcquireLocksAsync("t-bc", "w3", ["c", "d"]);
        Assert.Equal(2, bc.Lease!.Epoch);
        Assert.False(await store.ReleaseLocksAsync(c.Lease));
        Assert.Null(await store.RenewLocksAsync(c.Lease));

        await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryAcquireLocksAsync("t", "w", []));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryAcquireLocksAsync("t", "w", ["../up"]));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryAcquireLocksAsync("", "w", ["a"]));
    }

    [PostgresFact]
    public async Task Cancel_ends_a_running_task_and_frees_its_resources_and_the_sweep_frees_stale_locks()
    {
        var time = PostgresStores.NewClock();
        var connectionString = await PostgresStores.NewDatabaseAsync(cluster);
        await using var store = await PostgreSqlWeaverStore.OpenAsync(PostgresStores.Options(connectionString, time));
        await store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default) { Resources = ["r"] });
        await store.CreateTaskAsync(new NewTask("t2", "echo", null, RetryPolicy.Default));
        var attempt = (await store.ClaimAsync("w1", 1, Kinds))[0];
        Assert.True(await store.CancelAsync("t1"));
        Assert.True(await store.CancelAsync("t2"));
        Assert.False(await store.CancelAsync("t1"));
        Assert.False(await store.CancelAsync("nope"));
        Assert.False(await store.CompleteAsync(attempt, null, 0));
        var now = time.GetUtcNow();
        var history = await store.GetHistoryAsync("t1");
        Assert.Equal(TaskEvents.Cancelled(now, 1, 1), history[3]);
        Assert.Equal(new TaskEvent(now, TaskEventKind.ResourcesReleased, 1, "w1", 1, "Released 'r'."), history[4]);
        Assert.Equal(TaskEvents.Cancelled(now, 0, 0), (await store.GetHistoryAsync("t2"))[1]);
        Assert.Empty(await store.ListLocksAsync());

        Assert.True((await store.TryAcquireLocksAsync("solo", "w1", ["q"])).Acquired);
        const string Held = "SELECT count(*) FROM weaver.resource_locks WHERE lease_id IS NOT NULL";
        time.Advance(PostgresStores.Leases.StaleAfter);
        Assert.Equal(0, await store.SweepAsync());
        Assert.Equal(1L, await PostgresStores.ExecuteAsync(connectionString, Held));
        time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(0, await store.SweepAsync());
        Assert.Equal(0L, await PostgresStores.ExecuteAsync(connectionString, Held));
        Assert.Equal(2, (await store.TryAcquireLocksAsync("other", "w2", ["q"])).Lease!.Epoch);
    }

    [PostgresFact]
    public async Task Decisions_and_artifacts_are_recorded_only_under_the_live_lease()
    {
        var time = PostgresStores.NewClock();
        await using var store = await PostgresStores.OpenAsync(cluster, time);
        await store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default) { Job = new JobTaskRef(new JobId("j"), "a") });
        var attempt = (await store.ClaimAsync("w1", 1, Kinds))[0];
        var file = new ArtifactRef("j", "a", 1, "out/x.txt", ArtifactKind.File, new string('a', 64), 12, null, time.GetUtcNow());
        var link = new ArtifactRef("j", "a", 1, "docs", ArtifactKind.Url, null, 0, new Uri("https://example.invalid/x?y=1"), time.GetUtcNow());
        Assert.True(await store.AppendArtifactAsync(attempt, file));
        Assert.True(await store.AppendArtifactAsync(attempt, link));
        Assert.True(await store.RecordDecisionAsync(attempt, new Decision("policy", "evidence", "change")));

        time.Advance(PostgresStores.Leases.StaleAfter + TimeSpan.FromTicks(10));
        Assert.False(await store.AppendArtifactAsync(attempt, file with { Name = "late" }));
        Assert.Equal([file, link], await store.ListArtifactsAsync("j", "a"));
        Assert.Empty(await store.ListArtifactsAsync("a", "j"));
        var history = await store.GetHistoryAsync("t1");
        Assert.Equal(TaskEvents.DecisionRecorded(history[2].At, 1, "w1", 1, new Decision("policy", "evidence", "change")), history[2]);
        Assert.Equal(TaskEvents.Rejected(Microsecond(time), 1, "w1", 1, "write of artifact 'late'"), history[3]);
        Assert.False(await store.CompleteAsync(attempt with { TaskId = "missing" }, null, 0));
        Assert.False(await store.FailAsync(attempt with { TaskId = "missing" }, "x", 0));
        Assert.Null(await store.RenewAsync(attempt with { TaskId = "missing" }));
        Assert.Empty(await store.GetHistoryAsync("missing"));
    }

    [PostgresFact]
    public async Task Jobs_change_only_by_compare_and_set_on_their_revision()
    {
        var time = PostgresStores.NewClock();
        await using var store = await PostgresStores.OpenAsync(cluster, time);
        var created = await store.CreateJobAsync(new NewJob("b", "Pending", "{}"));
        await store.CreateJobAsync(new NewJob("a", "Pending", "[]"));
        Assert.Equal(1, created.Revision);
        await Assert.ThrowsAsync<DuplicateJobException>(async () => await store.CreateJobAsync(new NewJob("b", "Other", "{}")));
        time.Advance(TimeSpan.FromSeconds(1));
        var updated = await store.TryUpdateJobAsync("b", 1, "Running", "{\"x\":1}");
        Assert.Equal(new StoredJob("b", "Running", "{\"x\":1}", 2, created.CreatedAt, time.GetUtcNow()), updated);
        Assert.Null(await store.TryUpdateJobAsync("b", 1, "Lost", "{}"));
        Assert.Null(await store.TryUpdateJobAsync("missing", 1, "Lost", "{}"));
        Assert.Equal(["a", "b"], (await store.ListJobsAsync()).Select(j => j.Id));
        Assert.Equal(updated, await store.GetJobAsync("b"));
        Assert.Null(await store.TryUpdateJobAsync("b", 0, "x", "{}"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.CreateJobAsync(new NewJob("", "x", "{}")));
    }

    [PostgresFact]
    public async Task Bad_arguments_are_refused_with_what_is_allowed()
    {
        await using var store = await PostgresStores.OpenAsync(cluster, PostgresStores.NewClock());
        Assert.Contains("owner", (await Assert.ThrowsAsync<ArgumentException>(async () => await store.ClaimAsync(" ", 1, Kinds))).Message);
        Assert.Contains("1 or more", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.ClaimAsync("w", 0, Kinds))).Message);
        Assert.Contains("at least one task kind", (await Assert.ThrowsAsync<ArgumentException>(async () => await store.ClaimAsync("w", 1, []))).Message);
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.CreateTaskAsync(new NewTask(" ", "echo", null, RetryPolicy.Default)));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.CreateTaskAsync(new NewTask("t", "echo", null, RetryPolicy.Default) { Resources = ["a/../.."] }));
        await store.CreateTaskAsync(new NewTask("t", "echo", null, RetryPolicy.Default));
        await Assert.ThrowsAsync<DuplicateTaskException>(async () => await store.CreateTaskAsync(new NewTask("t", "other", "{}", RetryPolicy.None)));
        Assert.Equal(("echo", null), ((await store.GetTaskAsync("t"))!.Kind, (await store.GetTaskAsync("t"))!.Input));
        Assert.Single(await store.GetHistoryAsync("t"));
        var attempt = (await store.ClaimAsync("w", 1, Kinds))[0];
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.CompleteAsync(attempt, null, -0.01m));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.WaitForWorkAsync(TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public void Options_are_validated_with_what_is_allowed()
    {
        var good = new PostgreSqlStoreOptions { ConnectionString = "Host=localhost;Database=w" };
        Assert.Same(good, good.Validate());
        Assert.Contains("ConnectionString is empty", Assert.Throws<ArgumentException>(() => (good with { ConnectionString = " " }).Validate()).Message);
        Assert.Contains("not a valid Npgsql connection string", Assert.Throws<ArgumentException>(() => (good with { ConnectionString = "Nonsense=1" }).Validate()).Message);
        foreach (var schema in new[] { "Weaver", "pg_weaver", "a-b", "", "1abc", new string('a', 51), "weaver; DROP" })
        {
            var error = Assert.Throws<ArgumentException>(() => (good with { Schema = schema }).Validate());
            Assert.Contains($"it is '{schema}'", error.Message);
        }

        Assert.Throws<ArgumentException>(() => (good with { Leases = new LeaseOptions { HeartbeatInterval = TimeSpan.FromHours(1) } }).Validate());
        Assert.Contains("MaxRetries", Assert.Throws<ArgumentException>(() => (good with { Reconnect = new() { MaxRetries = -1 } }).Validate()).Message);
        Assert.Contains("MaxDelay", Assert.Throws<ArgumentException>(() => (good with { Reconnect = new() { MaxDelay = TimeSpan.FromTicks(1) } }).Validate()).Message);
        var backoff = new PostgreSqlReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1) };
        Assert.Equal(
            [100, 200, 400, 800, 1000, 1000],
            Enumerable.Range(1, 6).Select(retry => backoff.DelayBefore(retry, 0).TotalMilliseconds));
        Assert.Equal(TimeSpan.FromMilliseconds(110), backoff.DelayBefore(1, 0.5));
        Assert.Equal(TimeSpan.FromMilliseconds(880), backoff.DelayBefore(4, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.DelayBefore(5, 0));
    }

    private static DateTimeOffset Microsecond(FakeTimeProvider time)
    {
        var ticks = time.GetUtcNow().UtcTicks;
        return new DateTimeOffset(ticks % 10 == 0 ? ticks : ticks + (10 - (ticks % 10)), TimeSpan.Zero);
    }
}
