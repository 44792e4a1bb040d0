namespace Weaver.Runtime.Tests.Engine;

/// <summary>Workers run handlers under leases that heartbeat, lose them safely, and shut down gracefully.</summary>
public sealed class WorkerGroupTests
{
    [Fact]
    public async Task Handler_that_runs_longer_than_its_lease_keeps_it_by_heartbeats_and_runs_once()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        var f = new EngineFixture(async (input, context) =>
        {
            Interlocked.Increment(ref runs);
            started.TrySetResult();
            await release.Task.WaitAsync(context.CancellationToken);
            return input * 2;
        });
        var id = f.Engine.Submit(EngineFixture.Kind, 21);
        await using var group = new WorkerGroup(f.Engine, new WorkerGroupOptions { Concurrency = 2, Name = "g" });
        group.Start();
        await started.Task;

        // Three stale thresholds of simulated time, a heartbeat interval at a time: the lease never goes stale.
        var options = f.Engine.Claims.Options;
        for (var elapsed = TimeSpan.Zero; elapsed < options.StaleAfter * 3; elapsed += options.HeartbeatInterval)
        {
            f.Time.Advance(options.HeartbeatInterval);
        }

        Assert.True(f.Engine.Claims.TryGetHolder(id, out var lease));
        Assert.Equal(1, lease.Epoch);
        release.SetResult();

        var done = await f.Engine.WaitForCompletionAsync(id);
        Assert.Equal(TaskLifecycle.State.Succeeded, done.State);
        Assert.Equal(42, done.Result);
        Assert.Equal(1, runs);
        Assert.DoesNotContain(done.History, e => e.Kind is TaskEventKind.Reclaimed or TaskEventKind.WriteRejected);
    }

    [Fact]
    public async Task Every_running_attempt_of_a_group_is_kept_by_its_one_heartbeat_timer()
    {
        using var started = new CountdownEvent(3);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var f = new EngineFixture(async (input, context) =>
        {
            started.Signal();
            await release.Task.WaitAsync(context.CancellationToken);
            return input;
        });
        var ids = Enumerable.Range(1, 3).Select(i => f.Engine.Submit(EngineFixture.Kind, i)).ToArray();
        await using var group = new WorkerGroup(f.Engine, new WorkerGroupOptions { Concurrency = 3, Name = "g" });
        group.Start();
        await Task.Run(() => started.Wait(TimeSpan.FromMinutes(1)));
        Assert.Equal(0, started.CurrentCount);

        // Each worker's slot is renewed on every tick: no lease of the three goes stale over three stale thresholds.
        var options = f.Engine.Claims.Options;
        for (var elapsed = TimeSpan.Zero; elapsed < options.StaleAfter * 3; elapsed += options.HeartbeatInterval)
        {
            f.Time.Advance(options.HeartbeatInterval);
        }

        Assert.All(ids, id => Assert.True(f.Engine.Claims.TryGetHolder(id, out var lease) && lease.Epoch == 1, $"{id} lost its lease"));
        release.SetResult();
        foreach (var id in ids)
        {
            var done = await f.Engine.WaitForCompletionAsync(id);
            Assert.Equal(TaskLifecycle.State.Succeeded, done.State);
            Assert.DoesNotContain(done.History, e => e.Kind is TaskEventKind.Reclaimed or TaskEventKind.WriteRejected);
        }
    }

    [Fact]
    public async Task Lost_lease_cancels_the_handler_and_its_late_commit_is_rejected()
    {
        var started = new TaskCompletionSource<TaskContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var f = new EngineFixture(async (input, context) =>
        {
            started.TrySetResult(context);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, context.CancellationToken);
            }
            finally
            {
                cancelled.TrySetResult();
            }

            return input;
        });
        var id = f.Engine.Submit(EngineFixture.Kind, 1);
        await using var group = new WorkerGroup(f.Engine, new WorkerGroupOptions { Concurrency = 1, Name = "g", SweepInterval = TimeSpan.FromDays(1) });
        group.Start();
        var context = await started.Task;

        // Someone else frees the lease and claims the key: the worker's next heartbeat fails.
        Assert.True(f.Engine.Claims.TryRelease(context.Lease));
        Assert.True(f.Engine.Claims.TryClaim(id, "intruder", out _));
        f.Time.Advance(f.Engine.Claims.Options.HeartbeatInterval);

        await cancelled.Task;
        Assert.True(context.CancellationToken.IsCancellationRequested);
        Assert.Throws<LeaseLostException>(context.Heartbeat);
        Assert.Contains(f.Engine.Get(id).History, e => e.Kind == TaskEventKind.WriteRejected && e.Owner == "g/0");
    }

    [Fact]
    public async Task Graceful_shutdown_hands_back_attempts_still_running_after_the_grace_period()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var f = new EngineFixture(async (input, context) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, context.CancellationToken);
            return input;
        });
        var id = f.Engine.Submit(EngineFixture.Kind, 1);
        var group = new WorkerGroup(f.Engine, new WorkerGroupOptions { Concurrency = 1, Name = "g" });
        group.Start();
        await started.Task;

        var stopping = group.StopAsync(TimeSpan.FromSeconds(10));
        Assert.False(stopping.IsCompleted);
        f.Time.Advance(TimeSpan.FromSeconds(10));
        await stopping;

        var snapshot = f.Engine.Get(id);
        Assert.Equal(TaskLifecycle.State.Queued, snapshot.State);
        Assert.Contains(snapshot.History, e => e.Kind == TaskEventKind.Abandoned);
        Assert.False(f.Engine.Claims.TryGetHolder(id, out _));
        Assert.Equal(0, group.Running);
        await group.DisposeAsync();
    }

    [Fact]
    public async Task Graceful_shutdown_lets_attempts_that_finish_in_time_commit()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var f = new EngineFixture(async (input, _) =>
        {
            started.TrySetResult();
            await release.Task;
            return input;
        });
        var id = f.Engine.Submit(EngineFixture.Kind, 5);
        var group = new WorkerGroup(f.Engine, new WorkerGroupOptions { Concurrency = 1, Name = "g" });
        group.Start();
        await started.Task;

        var stopping = group.StopAsync(TimeSpan.FromSeconds(10));
        release.SetResult();
        await stopping;

        Assert.Equal(TaskLifecycle.State.Succeeded, f.Engine.Get(id).State);
        await group.DisposeAsync();
    }

    [Fact]
    public void Bad_options_say_what_is_allowed()
    {
        var f = EngineFixture.Idle();
        Assert.Contains("Concurrency", Assert.Throws<ArgumentException>(() => new WorkerGroup(f.Engine, new WorkerGroupOptions { Concurrency = 0 })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new WorkerGroup(f.Engine, new WorkerGroupOptions { Name = " " }));
        Assert.Throws<ArgumentException>(() => new WorkerGroup(f.Engine, new WorkerGroupOptions { SweepInterval = TimeSpan.Zero }));
    }
}
