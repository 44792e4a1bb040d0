using System.Collections.Concurrent;
using Weaver.PostgreSql;

namespace Weaver.Stores.Tests.Postgres;

/// <summary>
/// Several store instances (each with its own connection pool, as separate processes would have) on one database:
/// migrations at start, batched claims, resource locks under contention, and LISTEN/NOTIFY wake-ups.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlConcurrencyTests(PostgresCluster cluster)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly string[] Kinds = ["echo"];

    [PostgresFact]
    public async Task A_schema_at_version_1_is_migrated_and_its_tasks_run_without_a_trace_context()
    {
        var connectionString = await PostgresStores.NewDatabaseAsync(cluster);
        var schema = Migrations.Quote("weaver");
        var version1 = Migrations.All[0].Sql.Replace("{s}", schema, StringComparison.Ordinal);
        await PostgresStores.ExecuteAsync(connectionString, $$"""
            CREATE SCHEMA {{schema}};
            CREATE TABLE {{schema}}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
            {{version1}}
            INSERT INTO {{schema}}.schema_migrations (version, name) VALUES (1, 'v1');
            INSERT INTO {{schema}}.tasks (id, kind, state, input, retry_max_attempts, retry_initial_delay_ticks, retry_multiplier,
                retry_max_delay_ticks, retry_jitter, created_at)
            VALUES ('old', 'echo', 'Queued', '{}', 3, 10000000, 2.0, 3000000000, 0.0, now());
            """);

        await using var store = await PostgreSqlWeaverStore.OpenAsync(PostgresStores.Options(connectionString, time: null));
        const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        await store.CreateTaskAsync(new NewTask("new", "echo", "{}", RetryPolicy.Default) { TraceParent = TraceParent });
        var claimed = await store.ClaimAsync("w1", 2, ["echo"]);

        Assert.Equal(2, await PostgresStores.ExecuteAsync(connectionString, "SELECT max(version) FROM weaver.schema_migrations"));
        Assert.Equal(["old", "new"], claimed.Select(attempt => attempt.TaskId));
        Assert.Null(claimed[0].TraceParent);
        Assert.Equal(TraceParent, claimed[1].TraceParent);
    }

    [PostgresFact]
    public async Task Stores_starting_together_apply_each_migration_once_and_schemas_keep_stores_apart()
    {
        var connectionString = await PostgresStores.NewDatabaseAsync(cluster);
        var stores = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostgreSqlWeaverStore.OpenAsync(PostgresStores.Options(connectionString, time: null))));
        try
        {
            Assert.Equal(2L, await PostgresStores.ExecuteAsync(connectionString, "SELECT count(*) FROM weaver.schema_migrations"));
            Assert.Equal(2, await PostgresStores.ExecuteAsync(connectionString, "SELECT max(version) FROM weaver.schema_migrations"));

            await using var other = await PostgreSqlWeaverStore.OpenAsync(PostgresStores.Options(connectionString, time: null) with { Schema = "other_app" });
            await stores[0].CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default));
            Assert.Empty(await other.ListTasksAsync());
            Assert.Single(await stores[7].ListTasksAsync());
            Assert.Equal("other_app_work", other.Channel);
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }

        await PostgresStores.ExecuteAsync(connectionString, "INSERT INTO weaver.schema_migrations (version, name) VALUES (99, 'from the future')");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgreSqlWeaverStore.OpenAsync(PostgresStores.Options(connectionString, time: null)));
        Assert.Contains("version 99", error.Message);
        Assert.Contains("knows versions up to 2", error.Message);
    }

    [PostgresFact]
    public async Task A_thousand_tasks_claimed_concurrently_through_four_pools_are_each_claimed_once()
    {
        var connectionString = await PostgresStores.NewDatabaseAsync(cluster);
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgreSqlWeaverStore.OpenAsync(PostgresStores.Options(connectionString, time: null))));
        try
        {
            await Task.WhenAll(stores.Select((store, s) => Task.Run(async () =>
            {
                for (var i = s; i < 1000; i += stores.Length)
                {
                    await store.CreateTaskAsync(new NewTask($"t{i:D4}", "echo", $"{{\"n\":{i}}}", RetryPolicy.Default));
                }
            }))).WaitAsync(Deadline);

            var claims = new ConcurrentBag<StoredAttempt>();
            var workers = stores.SelectMany((store, s) => Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
            {
                while (true)
                {
                    var got = await store.ClaimAsync($"w{s}-{w}", 7, Kinds);
                    if (got.Count == 0)
                    {
                        return;
                    }

                    foreach (var attempt in got)
                    {
                        claims.Add(attempt);
                    }
                }
            })));
            await Task.WhenAll(workers).WaitAsync(Deadline);

            Assert.Equal(1000, claims.Count);
            Assert.Equal(1000, claims.Select(a => a.TaskId).Distinct().Count());
            Assert.All(claims, a => Assert.Equal((1, 1L), (a.Number, a.Epoch)));
            var tasks = await stores[0].ListTasksAsync();
            Assert.All(tasks, t => Assert.Equal((TaskLifecycle.State.Running, 1), (t.State, t.Attempts)));
            Assert.Equal(claims.ToDictionary(a => a.TaskId, a => a.Owner), tasks.ToDictionary(t => t.Id, t => t.Owner!));
            Assert.Equal(2000L, await PostgresStores.ExecuteAsync(connectionString, "SELECT count(*) FROM weaver.task_events"));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [PostgresFact]
    public async Task Workers_contending_for_shared_resources_never_hold_one_together_and_never_deadlock()
    {
        var connectionString = await PostgresStores.NewDatabaseAsync(cluster);
        var logs = new ListLoggerFactory();
        var stores = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PostgreSqlWeaverStore.OpenAsync(PostgresStores.Options(connectionString, time: null, logs))));
        try
        {
            const int Count = 150;
            string[] keys = ["k0", "k1", "k2", "k3", "k4", "k5"];
            for (var i = 0; i < Count; i++)
            {
                // Overlapping pairs and triples, listed in varying orders.
                string[] resources = i % 3 == 0 ? [keys[(i + 4) % 6], keys[i % 6]] : [keys[i % 6], keys[(i + 1) % 6], keys[(i + 3) % 6]];
                await stores[i % stores.Length].CreateTaskAsync(new NewTask($"t{i:D3}", "echo", null, RetryPolicy.Default) { Resources = resources });
            }

            var held = new ConcurrentDictionary<string, string>();
            var violations = new ConcurrentBag<string>();
            var done = 0;
            var workers = stores.SelectMany((store, s) => Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
            {
                while (Volatile.Read(ref done) < Count)
                {
                    var got = await store.ClaimAsync($"w{s}-{w}", 3, Kinds);
                    if (got.Count == 0)
                    {
                        await store.WaitForWorkAsync(TimeSpan.FromMilliseconds(200));
                        continue;
                    }

                    foreach (var attempt in got)
                    {
                        foreach (var key in attempt.Resources)
                        {
                            if (!held.TryAdd(key, attempt.TaskId))
                            {
                                violations.Add($"{attempt.TaskId} got '{key}' while {held.GetValueOrDefault(key)} held it");
                            }
                        }
                    }

                    foreach (var attempt in got)
                    {
                        foreach (var key in attempt.Resources)
                        {
                            held.TryRemove(KeyValuePair.Create(key, attempt.TaskId));
                        }

                        Assert.True(await store.CompleteAsync(attempt, null, 0));
                        Interlocked.Increment(ref done);
                    }
                }
            })));
            await Task.WhenAll(workers).WaitAsync(Deadline);

            Assert.Empty(violations);
            Assert.All(await stores[0].ListTasksAsync(), t => Assert.Equal((TaskLifecycle.State.Succeeded, 1), (t.State, t.Attempts)));
            Assert.Empty(await stores[0].ListLocksAsync());
            Assert.DoesNotContain(logs.Entries, e => e.Message.StartsWith("Weaver.PostgreSql could not", StringComparison.Ordinal)); // no deadlock was retried

            // Every key's epochs grew by one per holder: the latest epoch is how many tasks held it.
            var uses = (await Task.WhenAll((await stores[0].ListTasksAsync()).Select(t => stores[0].GetHistoryAsync(t.Id).AsTask())))
                .SelectMany(history => history.Where(e => e.Kind == TaskEventKind.ResourcesAcquired))
                .ToList();
            Assert.Equal(Count, uses.Count);
            foreach (var key in keys)
            {
                var latest = await PostgresStores.ExecuteAsync(connectionString, $"SELECT latest_epoch FROM weaver.resource_locks WHERE resource = '{key}'");
                var epochs = uses.Where(e => e.Detail.Contains($"'{key}'", StringComparison.Ordinal)).Select(e => e.Epoch).ToList();
                Assert.Equal(epochs.Count, epochs.Distinct().Count());
                Assert.True((long)latest! >= epochs.Max(), $"key {key}: latest epoch {latest}, a lease had {epochs.Max()}");
            }
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [PostgresFact]
    public async Task Standalone_lock_requests_in_every_key_order_from_four_pools_never_overlap_and_never_deadlock()
    {
        var connectionString = await PostgresStores.NewDatabaseAsync(cluster);
        var logs = new ListLoggerFactory();
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgreSqlWeaverStore.OpenAsync(PostgresStores.Options(connectionString, time: null, logs))));
        try
        {
            string[] keys = ["a", "b", "c", "d", "e"];
            var held = new ConcurrentDictionary<string, string>();
            var violations = new ConcurrentBag<string>();
            var granted = 0;
            await Task.WhenAll(stores.SelectMany((store, s) => Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
            {
                var random = new Random((s * 10) + w);
                for (var i = 0; i < 40; i++)
                {
                    var wanted = keys.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).ToArray(); // any size, any order
                    var holder = $"s{s}w{w}i{i}";
                    var result = await store.TryAcquireLocksAsync(holder, "w", wanted);
                    if (!result.Acquired)
                    {
                        Assert.All(result.Conflicts, c => Assert.Contains(c.Resource.Value, wanted));
                        continue;
                    }

                    Interlocked.Increment(ref granted);
                    foreach (var key in wanted)
                    {
                        if (!held.TryAdd(key, holder))
                        {
                            violations.Add($"{holder} got '{key}' while {held.GetValueOrDefault(key)} held it");
                        }
                    }

                    foreach (var key in wanted)
                    {
                        held.TryRemove(KeyValuePair.Create(key, holder));
                    }

                    Assert.True(await store.ReleaseLocksAsync(result.Lease));
                }
            }))).ToArray()).WaitAsync(Deadline);

            Assert.Empty(violations);
            Assert.True(granted > 0);
            Assert.Empty(await stores[0].ListLocksAsync());
            Assert.DoesNotContain(logs.Entries, e => e.Message.StartsWith("Weaver.PostgreSql could not", StringComparison.Ordinal)); // no deadlock was retried
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [PostgresFact]
    public async Task The_listening_connection_takes_no_connection_from_the_pool()
    {
        var connectionString = await PostgresStores.NewDatabaseAsync(cluster) + ";Maximum Pool Size=1;Timeout=5";
        await using var store = await PostgreSqlWeaverStore.OpenAsync(PostgresStores.Options(connectionString, PostgresStores.NewClock()));

        var wait = store.WaitForWorkAsync(TimeSpan.FromHours(1)).AsTask();
        await store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default)).AsTask().WaitAsync(Deadline);
        await wait.WaitAsync(Deadline);
        Assert.Equal("t1", Assert.Single(await store.ClaimAsync("w1", 1, Kinds)).TaskId);
    }

    [PostgresFact]
    public async Task Idle_workers_are_woken_by_creates_hand_backs_take_backs_releases_and_retries_coming_due()
    {
        var time = PostgresStores.NewClock();
        var connectionString = await PostgresStores.NewDatabaseAsync(cluster);
        await using var waiter = await PostgreSqlWeaverStore.OpenAsync(PostgresStores.Options(connectionString, time));
        await using var writer = await PostgreSqlWeaverStore.OpenAsync(PostgresStores.Options(connectionString, time));

        var expected = 0L;
        async Task WakesAsync(Func<Task> action)
        {
            var wait = waiter.WaitForWorkAsync(TimeSpan.FromHours(1)).AsTask();
            Assert.False(wait.IsCompleted);
            await action();
            await wait.WaitAsync(Deadline);
            expected++;
            while (waiter.Listener.Notifications < expected)
            {
                await waiter.Listener.NextPulse.WaitAsync(Deadline);
            }
        }

        await WakesAsync(() => writer.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default) { Resources = ["r"] }).AsTask());
        var first = (await writer.ClaimAsync("w1", 1, Kinds))[0];
        await WakesAsync(() => writer.AbandonAsync(first, "shutting down").AsTask());
        var second = (await writer.ClaimAsync("w1", 1, Kinds))[0];
        time.Advance(PostgresStores.Leases.StaleAfter + TimeSpan.FromSeconds(1));
        await WakesAsync(() => writer.SweepAsync().AsTask());
        var third = (await writer.ClaimAsync("w2", 1, Kinds))[0];
        Assert.Equal(3, third.Number);
        await WakesAsync(() => writer.FailAsync(third, "flaky", 0).AsTask());

        // The retry comes due on the fake clock: the wait ends then, with no notification.
        var due = (await writer.GetTaskAsync("t1"))!.DueAt!.Value;
        var retryWait = waiter.WaitForWorkAsync(TimeSpan.FromHours(1)).AsTask();
        time.SetUtcNow(due - TimeSpan.FromTicks(10));
        Assert.False(retryWait.IsCompleted);
        time.SetUtcNow(due);
        await retryWait.WaitAsync(Deadline);
        Assert.Equal(expected, waiter.Listener.Notifications);

        // No work: the wait ends at maxWait, on the fake clock.
        var idle = waiter.WaitForWorkAsync(TimeSpan.FromSeconds(30)).AsTask();
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(idle.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await idle.WaitAsync(Deadline);

        var lease = (await writer.TryAcquireLocksAsync("solo", "w3", ["x"])).Lease!;
        await WakesAsync(() => writer.ReleaseLocksAsync(lease).AsTask());

        using var cancel = new CancellationTokenSource();
        var cancelled = waiter.WaitForWorkAsync(TimeSpan.FromHours(1), cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Deadline));
        await waiter.WaitForWorkAsync(TimeSpan.Zero);
    }
}
