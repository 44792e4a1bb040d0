using System.IO;
using Npgsql;
using Weaver.PostgreSql;
using Weaver.Runtime.Tests.Telemetry;

namespace Weaver.Stores.Tests.Postgres;

/// <summary>
/// Lost connections: the server stopped and started again (the throwaway cluster), and backends killed right before or
/// right after a commit. Every write lands exactly once: a call made while the server is down is retried until it is
/// back, and a write whose reply was lost is found by its write id rather than applied (or rejected) a second time.
/// Real time passes here only while a real server stops and starts, always under a deadline.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlConnectionLossTests(PostgresCluster cluster)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static readonly string[] Kinds = ["echo"];

    [PostgresFact(Requires = PostgresRequirement.ThrowawayCluster)]
    public async Task Calls_made_while_the_server_is_down_are_retried_until_it_is_back_and_land_once()
    {
        var time = PostgresStores.NewClock();
        await using var store = await PostgresStores.OpenAsync(cluster, time);
        await store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default) { Resources = ["r"] });
        var attempt = (await store.ClaimAsync("w1", 1, Kinds))[0];

        await cluster.StopAsync();
        Task<bool> complete;
        Task<StoredTask> create;
        try
        {
            complete = store.CompleteAsync(attempt, "\"done\"", 2m).AsTask();
            create = store.CreateTaskAsync(new NewTask("t2", "echo", null, RetryPolicy.Default)).AsTask();
            Assert.False(complete.IsCompleted);
        }
        finally
        {
            await cluster.StartAsync();
        }

        Assert.True(await complete.WaitAsync(Deadline));
        Assert.Equal("t2", (await create.WaitAsync(Deadline)).Id);
        Assert.False(await store.CompleteAsync(attempt, "\"again\"", 2m)); // the same commit, tried again: rejected, once

        var task = (await store.GetTaskAsync("t1"))!;
        Assert.Equal((TaskLifecycle.State.Succeeded, "\"done\"", 2m), (task.State, task.Result, task.Cost));
        var history = await store.GetHistoryAsync("t1");
        Assert.Single(history, e => e.Kind == TaskEventKind.Succeeded);
        Assert.Single(history, e => e.Kind == TaskEventKind.ResourcesReleased);
        Assert.Single(history, e => e.Kind == TaskEventKind.WriteRejected);
        Assert.Single(await store.GetHistoryAsync("t2"));
        Assert.Empty(await store.ListLocksAsync());
    }

    [PostgresFact(Requires = PostgresRequirement.ThrowawayCluster)]
    public async Task A_server_down_past_the_retry_budget_fails_with_a_clear_error_and_the_store_works_once_it_is_back()
    {
        var connectionString = await PostgresStores.NewDatabaseAsync(cluster);
        var options = PostgresStores.Options(connectionString, PostgresStores.NewClock()) with
        {
            Reconnect = new PostgreSqlReconnectOptions { MaxRetries = 2, InitialDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(20) },
        };
        await using var store = await PostgreSqlWeaverStore.OpenAsync(options);

        await cluster.StopAsync();
        PostgreSqlStoreUnavailableException error;
        try
        {
            error = await Assert.ThrowsAsync<PostgreSqlStoreUnavailableException>(
                async () => await store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default)).AsTask().WaitAsync(Deadline));
        }
        finally
        {
            await cluster.StartAsync();
        }

        Assert.Equal(3, error.Tries);
        Assert.Contains("could not create task 't1': 3 tries", error.Message);
        Assert.Contains("Reconnect.MaxRetries", error.Message);
        Assert.True(PostgreSqlWeaverStore.IsTransient(error.InnerException!));

        Assert.Null(await store.GetTaskAsync("t1"));
        Assert.Equal("t1", (await store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default))).Id);
    }

    [PostgresFact(Requires = PostgresRequirement.ThrowawayCluster)]
    public async Task A_commit_cut_off_before_it_lands_is_tried_again_and_lands_once()
    {
        var time = PostgresStores.NewClock();
        await using var store = await PostgresStores.OpenAsync(cluster, time);
        await store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default));
        var attempt = (await store.ClaimAsync("w1", 1, Kinds))[0];

        var killed = KillOnce(store, PostgreSqlWeaverStore.FaultPoint.BeforeCommit, throwAfter: false);
        Assert.True(await store.CompleteAsync(attempt, null, 1m));
        Assert.True(killed.Fired);

        var history = await store.GetHistoryAsync("t1");
        Assert.Equal([TaskEventKind.Submitted, TaskEventKind.AttemptStarted, TaskEventKind.Succeeded], history.Select(e => e.Kind));
        Assert.Equal(1m, (await store.GetTaskAsync("t1"))!.Cost);
    }

    [PostgresFact(Requires = PostgresRequirement.ThrowawayCluster)]
    public async Task A_write_whose_reply_is_lost_after_its_commit_is_found_by_its_write_id_and_not_applied_again()
    {
        var time = PostgresStores.NewClock();
        await using var store = await PostgresStores.OpenAsync(cluster, time);

        async Task<T> LoseReply<T>(Func<Task<T>> call)
        {
            var fault = KillOnce(store, PostgreSqlWeaverStore.FaultPoint.AfterCommit, throwAfter: true);
            var result = await call();
            Assert.True(fault.Fired);
            store.Faults = null;
            return result;
        }

        var created = await LoseReply(() => store.CreateTaskAsync(new NewTask("t1", "echo", "{}", RetryPolicy.Default) { Resources = ["r"] }).AsTask());
        Assert.Equal("t1", created.Id);
        await store.CreateTaskAsync(new NewTask("t2", "echo", null, new RetryPolicy { MaxAttempts = 1 }));
        await store.CreateTaskAsync(new NewTask("t3", "echo", null, RetryPolicy.Default));

        var claimed = await LoseReply(() => store.ClaimAsync("w1", 2, Kinds).AsTask());
        Assert.Equal(["t1", "t2"], claimed.Select(a => a.TaskId));
        Assert.Equal((TaskLifecycle.State.Running, 1, 1L), ((await store.GetTaskAsync("t1"))!.State, (await store.GetTaskAsync("t1"))!.Attempts, (await store.GetTaskAsync("t1"))!.Epoch));
        Assert.Equal(TaskLifecycle.State.Queued, (await store.GetTaskAsync("t3"))!.State);

        Assert.NotNull(await LoseReply(() => store.RenewAsync(claimed[0]).AsTask()));
        Assert.True(await LoseReply(() => store.RecordDecisionAsync(claimed[0], new Decision("p", "e", "c")).AsTask()));
        var artifact = new ArtifactRef("t1", "t1", 1, "out.txt", ArtifactKind.Stdout, new string('0', 64), 3, null, time.GetUtcNow());
        Assert.True(await LoseReply(() => store.AppendArtifactAsync(claimed[0], artifact).AsTask()));
        Assert.True(await LoseReply(() => store.FailAsync(claimed[0], "boom", 1m).AsTask()));
        Assert.False(await LoseReply(() => store.CompleteAsync(claimed[0], null, 0).AsTask()));

        time.Advance(PostgresStores.Leases.StaleAfter + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await LoseReply(() => store.SweepAsync().AsTask())); // t2, with no attempts left: dead
        Assert.True(await LoseReply(() => store.CancelAsync("t3").AsTask()));

        var job = await LoseReply(() => store.CreateJobAsync(new NewJob("j1", "Running", "{}")).AsTask());
        Assert.Equal(1, job.Revision);
        Assert.Equal(2, (await LoseReply(() => store.TryUpdateJobAsync("j1", 1, "Done", "{}").AsTask()))!.Revision);
        var locks = await LoseReply(() => store.TryAcquireLocksAsync("solo", "w9", ["q"]).AsTask());
        Assert.True(locks.Acquired);

        Assert.Equal(
            [
                TaskEventKind.Submitted, TaskEventKind.ResourcesAcquired, TaskEventKind.AttemptStarted, TaskEventKind.DecisionRecorded,
                TaskEventKind.ResourcesReleased, TaskEventKind.RetryScheduled, TaskEventKind.WriteRejected,
            ],
            (await store.GetHistoryAsync("t1")).Select(e => e.Kind));
        Assert.Equal((TaskLifecycle.State.Dead, 1), ((await store.GetTaskAsync("t2"))!.State, (await store.GetTaskAsync("t2"))!.Attempts));
        Assert.Equal([TaskEventKind.Submitted, TaskEventKind.Cancelled], (await store.GetHistoryAsync("t3")).Select(e => e.Kind));
        Assert.Equal([artifact], await store.ListArtifactsAsync("t1", "t1"));
        Assert.Equal(2, (await store.GetJobAsync("j1"))!.Revision);
        Assert.Equal(1, locks.Lease.Epoch);
        Assert.Equal(1.0m, (await store.GetTaskAsync("t1"))!.Cost);
    }

    [PostgresFact(Requires = PostgresRequirement.ThrowawayCluster)]
    public async Task A_write_cut_off_before_or_after_its_commit_is_counted_once()
    {
        var kind = $"metered-{Guid.NewGuid():N}";
        using var capture = new TelemetryCapture();
        await using var store = await PostgresStores.OpenAsync(cluster, PostgresStores.NewClock());
        await store.CreateTaskAsync(new NewTask("t1", kind, null, RetryPolicy.Default));
        await store.CreateTaskAsync(new NewTask("t2", kind, null, RetryPolicy.Default));

        var lostReply = KillOnce(store, PostgreSqlWeaverStore.FaultPoint.AfterCommit, throwAfter: true);
        var claimed = await store.ClaimAsync("w1", 2, [kind]);
        Assert.True(lostReply.Fired);
        var rolledBack = KillOnce(store, PostgreSqlWeaverStore.FaultPoint.BeforeCommit, throwAfter: false);
        Assert.True(await store.CompleteAsync(claimed[0], null, 1m));
        Assert.True(rolledBack.Fired);
        lostReply = KillOnce(store, PostgreSqlWeaverStore.FaultPoint.AfterCommit, throwAfter: true);
        Assert.True(await store.FailAsync(claimed[1], "boom", 1m));
        Assert.True(lostReply.Fired);
        store.Faults = null;

        Assert.Equal(
            (2.0, 1.0, 1.0, 1.0), // claims, completions, failures, retries
            (capture.Total(WeaverTelemetry.Instruments.Claims, kind), capture.Total(WeaverTelemetry.Instruments.Completions, kind),
                capture.Total(WeaverTelemetry.Instruments.Failures, kind), capture.Total(WeaverTelemetry.Instruments.Retries, kind)));
    }

    [PostgresFact(Requires = PostgresRequirement.ThrowawayCluster)]
    public async Task The_listening_connection_listens_again_after_the_server_restarts()
    {
        var time = PostgresStores.NewClock();
        var connectionString = await PostgresStores.NewDatabaseAsync(cluster);
        await using var waiter = await PostgreSqlWeaverStore.OpenAsync(PostgresStores.Options(connectionString, time));
        await using var writer = await PostgreSqlWeaverStore.OpenAsync(PostgresStores.Options(connectionString, time));

        var wait = waiter.WaitForWorkAsync(TimeSpan.FromHours(1)).AsTask();
        await cluster.StopAsync();
        await cluster.StartAsync();
        await wait.WaitAsync(Deadline); // notifications sent while it was down are lost: it wakes its waiters once it listens again

        var notified = waiter.Listener.Notifications;
        var next = waiter.WaitForWorkAsync(TimeSpan.FromHours(1)).AsTask();
        await writer.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default));
        await next.WaitAsync(Deadline);
        while (waiter.Listener.Notifications == notified)
        {
            await waiter.Listener.NextPulse.WaitAsync(Deadline);
        }
    }

    /// <summary>
    /// Kills the backend of the first try to reach <paramref name="point"/> (as a dropped network would); after a commit
    /// it also throws the error the caller would have seen, since that commit's reply is what was lost.
    /// </summary>
    private Fault KillOnce(PostgreSqlWeaverStore store, PostgreSqlWeaverStore.FaultPoint point, bool throwAfter)
    {
        var fault = new Fault();
        store.Faults = async (at, operation, connection) =>
        {
            if (at != point || fault.Fired)
            {
                return;
            }

            fault.Fired = true;
            await using (var admin = new NpgsqlConnection(cluster.ConnectionString))
            {
                await admin.OpenAsync();
                await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", admin);
                kill.Parameters.AddWithValue("pid", connection.ProcessID);
                Assert.True((bool)(await kill.ExecuteScalarAsync())!);
            }

            if (throwAfter)
            {
                throw new NpgsqlException($"The connection was lost after '{operation}' committed (injected).", new EndOfStreamException());
            }
        };
        return fault;
    }

    private sealed class Fault
    {
        public bool Fired { get; set; }
    }
}
