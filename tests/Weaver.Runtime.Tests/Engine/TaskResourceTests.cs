namespace Weaver.Runtime.Tests.Engine;

/// <summary>
/// Tasks that declare resources: a worker holds all of them while the handler runs and frees them when the attempt
/// ends; a task whose resources are held waits, without polling, until they are freed or their holder goes stale.
/// </summary>
public sealed class TaskResourceTests
{
    [Fact]
    public async Task A_task_waits_for_a_file_another_task_holds_and_runs_once_it_is_freed()
    {
        var f = EngineFixture.Idle();
        var first = f.Engine.Submit(EngineFixture.Kind, 1, id: "first", resources: ["src/a.cs", "src/b.cs"]);
        var second = f.Engine.Submit(EngineFixture.Kind, 2, id: "second", resources: ["./src//a.cs"]);
        Assert.Equal(first, await f.Engine.Queue.DequeueAsync());
        Assert.Equal(second, await f.Engine.Queue.DequeueAsync());

        var running = f.Start(first, "w1");
        Assert.False(f.Engine.TryStartAttempt(second, "w2", out _));

        var waiting = f.Engine.Get(second);
        Assert.Equal(TaskLifecycle.State.Queued, waiting.State);
        var conflict = Assert.Single(waiting.History, e => e.Kind == TaskEventKind.ResourceConflict);
        Assert.Contains("'src/a.cs'", conflict.Detail, StringComparison.Ordinal);
        Assert.Contains("first", conflict.Detail, StringComparison.Ordinal);
        Assert.False(f.Engine.Claims.TryGetHolder(second, out _), "the waiting task must not keep its claim");
        Assert.Equal(0, f.Engine.Queue.ReadyCount);

        Assert.True(f.Engine.TryComplete(running, 10));

        // Freed: the waiting task is queued again by the release itself.
        Assert.Equal(second, await f.Engine.Queue.DequeueAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        var next = f.Start(second, "w2");
        Assert.True(f.Engine.Locks.TryGetHolder("src/a.cs", out var holder));
        Assert.Equal(second, holder.TaskId);
        Assert.True(f.Engine.TryComplete(next, 20));

        var done = f.Engine.Get(second);
        Assert.Equal(
            [TaskEventKind.Submitted, TaskEventKind.ResourceConflict, TaskEventKind.ResourcesAcquired, TaskEventKind.AttemptStarted, TaskEventKind.ResourcesReleased, TaskEventKind.Succeeded],
            done.History.Select(e => e.Kind));
        Assert.Empty(f.Engine.Locks.Held());
    }

    [Fact]
    public async Task Locks_of_a_worker_that_went_stale_are_freed_and_the_waiting_task_runs_with_a_higher_epoch()
    {
        var f = EngineFixture.Idle();
        var zombieTask = f.Engine.Submit(EngineFixture.Kind, 1, id: "zombie-task", resources: ["a.cs"]);
        var waiter = f.Engine.Submit(EngineFixture.Kind, 2, id: "waiter", resources: ["A.cs", "a.cs"]);
        await f.Engine.Queue.DequeueAsync();
        await f.Engine.Queue.DequeueAsync();
        var zombie = f.Start(zombieTask, "zombie");
        Assert.True(f.Engine.Locks.TryGetHolder("a.cs", out var zombieLocks));
        Assert.False(f.Engine.TryStartAttempt(waiter, "w2", out _));

        // The zombie never heartbeats: past the stale threshold its locks are freed without anyone polling.
        f.LetLeasesGoStale();
        var woken = await f.Engine.Queue.DequeueAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(waiter, woken);

        var attempt = f.Start(waiter, "w2");
        Assert.True(f.Engine.Locks.TryGetHolder("a.cs", out var waiterLocks));
        Assert.Equal(waiter, waiterLocks.TaskId);
        Assert.True(waiterLocks.Epoch > zombieLocks.Epoch);
        Assert.True(f.Engine.TryComplete(attempt, 2));

        Assert.False(f.Engine.TryComplete(zombie, -1), "the zombie's late commit must be rejected");
        Assert.Equal(1, f.Engine.Get(zombieTask).RejectedWrites);
    }

    [Fact]
    public async Task Tasks_on_one_file_never_run_at_once_and_each_waits_without_spinning()
    {
        const int tasks = 20;
        var inside = 0;
        var mostInside = 0;
        var f = new EngineFixture(async (input, context) =>
        {
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref mostInside, now);
            await Task.Yield();
            Interlocked.Decrement(ref inside);
            return input;
        });
        var ids = Enumerable.Range(0, tasks)
            .Select(i => f.Engine.Submit(EngineFixture.Kind, i, id: $"t{i}", resources: [i % 2 == 0 ? "shared/file.cs" : "shared/./file.cs", $"own/{i}.cs"]))
            .ToArray();

        await using var group = new WorkerGroup(f.Engine, new WorkerGroupOptions { Concurrency = 4, Name = "g" });
        group.Start();
        var done = await Task.WhenAll(ids.Select(id => f.Engine.WaitForCompletionAsync(id))).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.All(done, task => Assert.Equal(TaskLifecycle.State.Succeeded, task.State));
        Assert.Equal(1, mostInside);

        // A waiting task is woken once per release it waits for, so it records at most one conflict per task ahead of it.
        Assert.All(done, task => Assert.True(task.History.Count(e => e.Kind == TaskEventKind.ResourceConflict) < tasks, string.Join("; ", task.History)));
        Assert.Empty(f.Engine.Locks.Held());
    }

    [Fact]
    public async Task Heartbeats_keep_a_long_task_s_locks_and_another_task_keeps_waiting()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var f = new EngineFixture(async (input, context) =>
        {
            if (input == 1)
            {
                started.TrySetResult();
                await release.Task.WaitAsync(context.CancellationToken);
            }

            return input;
        });
        var longTask = f.Engine.Submit(EngineFixture.Kind, 1, id: "long", resources: ["db:orders"]);
        await using var group = new WorkerGroup(f.Engine, new WorkerGroupOptions { Concurrency = 2, Name = "g" });
        group.Start();
        await started.Task;
        Assert.True(f.Engine.Locks.TryGetHolder("db:orders", out var before));

        var other = f.Engine.Submit(EngineFixture.Kind, 2, id: "other", resources: ["db:orders"]);
        var options = f.Engine.Claims.Options;
        for (var elapsed = TimeSpan.Zero; elapsed < options.StaleAfter * 3; elapsed += options.HeartbeatInterval)
        {
            f.Time.Advance(options.HeartbeatInterval);
        }

        Assert.True(f.Engine.Locks.TryGetHolder("db:orders", out var after));
        Assert.Equal(longTask, after.TaskId);
        Assert.Equal(before.Epoch, after.Epoch);
        Assert.True(after.ExpiresAt > before.ExpiresAt, "the heartbeats renew the locks");
        Assert.Equal(TaskLifecycle.State.Queued, f.Engine.Get(other).State);

        release.SetResult();
        var done = await f.Engine.WaitForCompletionAsync(other).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(TaskLifecycle.State.Succeeded, done.State);
        Assert.DoesNotContain(f.Engine.Get(longTask).History, e => e.Kind is TaskEventKind.Reclaimed or TaskEventKind.WriteRejected);
    }

    [Fact]
    public async Task A_worker_whose_locks_are_taken_away_stops_its_handler_at_the_next_heartbeat()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var f = new EngineFixture(async (input, context) =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, context.CancellationToken);
            }
            finally
            {
                stopped.TrySetResult();
            }

            return input;
        });
        var id = f.Engine.Submit(EngineFixture.Kind, 1, id: "editor", resources: ["a.cs"]);
        await using var group = new WorkerGroup(f.Engine, new WorkerGroupOptions { Concurrency = 1, Name = "g" });
        group.Start();
        await started.Task;

        Assert.True(f.Engine.Locks.TryGetHolder("a.cs", out var held));
        Assert.True(f.Engine.Locks.TryRelease(held));
        f.Time.Advance(f.Engine.Claims.Options.HeartbeatInterval);
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var rejected = Assert.Single(f.Engine.Get(id).History, e => e.Kind == TaskEventKind.WriteRejected);
        Assert.Contains("could not renew the attempt's resource locks", rejected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_waiting_task_that_is_cancelled_never_runs()
    {
        var f = EngineFixture.Idle();
        var holder = f.Engine.Submit(EngineFixture.Kind, 1, id: "holder", resources: ["a.cs"]);
        var waiter = f.Engine.Submit(EngineFixture.Kind, 2, id: "waiter", resources: ["a.cs"]);
        await f.Engine.Queue.DequeueAsync();
        await f.Engine.Queue.DequeueAsync();
        var attempt = f.Start(holder, "w1");
        Assert.False(f.Engine.TryStartAttempt(waiter, "w2", out _));

        Assert.True(f.Engine.TryCancel(waiter));
        Assert.True(f.Engine.TryComplete(attempt, 1));
        var woken = await f.Engine.Queue.DequeueAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(waiter, woken);
        Assert.False(f.Engine.TryStartAttempt(waiter, "w2", out _));
        Assert.Equal(TaskLifecycle.State.Cancelled, f.Engine.Get(waiter).State);
        Assert.Empty(f.Engine.Locks.Held());
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(".")]
    [InlineData("a/..")]
    [InlineData("../outside.cs")]
    public void A_bad_resource_key_is_rejected_at_submit_and_nothing_is_submitted(string key)
    {
        var f = EngineFixture.Idle();

        var error = Assert.ThrowsAny<ArgumentException>(() => f.Engine.Submit(EngineFixture.Kind, 1, id: "bad", resources: ["ok.cs", key]));

        Assert.Contains("resource", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(f.Engine.All());
        Assert.Equal(0, f.Engine.Queue.ReadyCount);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var current = Volatile.Read(ref target); value > current; current = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current)
            {
                return;
            }
        }
    }
}
