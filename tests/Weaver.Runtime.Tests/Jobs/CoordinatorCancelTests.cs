using static Weaver.Runtime.Tests.Jobs.JobFixture;

namespace Weaver.Runtime.Tests.Jobs;

/// <summary>Cancelling a job while its tasks are queued, running, waiting to retry, and after it ended.</summary>
public sealed class CoordinatorCancelTests
{
    [Fact]
    public async Task Cancel_while_queued_cancels_the_queued_and_pending_tasks()
    {
        await using var f = new JobFixture(startWorkers: false);
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", "work"), TaskOf("b", "work", "a"), TaskOf("c", "work")]) { Id = "j" });

        var ack = await f.Coordinator.CancelJobAsync(id);
        var result = await f.Coordinator.WaitForJobAsync(id);

        Assert.False(ack.AlreadyEnded);
        Assert.Equal(JobLifecycle.State.Cancelled, ack.State);
        Assert.Equal(["a", "b", "c"], ack.CancelledTasks);
        Assert.Equal(JobLifecycle.State.Cancelled, result.State);
        Assert.Equal("Cancelled by request.", result.Reason);
        Assert.Empty(result.Results);
        Assert.Equal(TaskLifecycle.State.Cancelled, f.Engine.Get("j/a").State);
        Assert.Equal(TaskLifecycle.State.Cancelled, f.Engine.Get("j/c").State);
        Assert.Throws<KeyNotFoundException>(() => f.Engine.Get("j/b"));
        var status = await f.Coordinator.GetStatusAsync(id);
        Assert.Equal(3, status.Counts[JobTaskState.Cancelled]);
        Assert.Equal("Cancelled by request.", status.Reason);
    }

    [Fact]
    public async Task Cancel_while_running_cancels_the_handlers_token()
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", Hang), TaskOf("b", "work", "a")]) { Id = "j" });
        var context = await f.Started("a");

        var ack = await f.Coordinator.CancelJobAsync(id);
        var result = await f.Coordinator.WaitForJobAsync(id);

        Assert.True(context.CancellationToken.IsCancellationRequested);
        Assert.Equal(["a", "b"], ack.CancelledTasks);
        Assert.Equal(JobLifecycle.State.Cancelled, result.State);
        Assert.Equal(TaskLifecycle.State.Cancelled, (await f.Engine.WaitForCompletionAsync("j/a")).State);
        Assert.DoesNotContain("start:b", f.Log);
    }

    [Fact]
    public async Task Cancel_while_a_retry_is_scheduled_cancels_the_retry()
    {
        await using var f = new JobFixture(startWorkers: false);
        var retry = new RetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.FromMinutes(1), Jitter = 0 };
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([new JobTaskSpec("a", "work", null) { Retry = retry }]) { Id = "j" });
        Assert.True(f.Engine.TryStartAttempt("j/a", "w", out var attempt));
        Assert.True(f.Engine.TryFail(attempt, new TimeoutException("slow")));
        var before = await f.Coordinator.GetStatusAsync(id);

        var ack = await f.Coordinator.CancelJobAsync(id);
        f.Time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal((JobTaskState.RetryScheduled, 1, "TimeoutException: slow"), (before.Tasks[0].State, before.Tasks[0].Attempts, before.Tasks[0].Error));
        Assert.Equal(1, before.Counts[JobTaskState.RetryScheduled]);
        Assert.Equal(["a"], ack.CancelledTasks);
        Assert.Equal(JobLifecycle.State.Cancelled, (await f.Coordinator.WaitForJobAsync(id)).State);
        Assert.Equal(TaskLifecycle.State.Cancelled, f.Engine.Get("j/a").State);
        Assert.False(f.Engine.TryStartAttempt("j/a", "w", out _));
    }

    [Fact]
    public async Task A_second_cancel_and_a_cancel_after_the_end_change_nothing()
    {
        await using var f = new JobFixture();
        var running = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", Hang)]) { Id = "running" });
        var done = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", "work")]) { Id = "done" });
        await f.Coordinator.WaitForJobAsync(done);

        var first = await f.Coordinator.CancelJobAsync(running);
        var second = await f.Coordinator.CancelJobAsync(running);
        var afterEnd = await f.Coordinator.CancelJobAsync(done);

        Assert.Equal((false, JobLifecycle.State.Cancelled), (first.AlreadyEnded, first.State));
        Assert.Equal((true, JobLifecycle.State.Cancelled), (second.AlreadyEnded, second.State));
        Assert.Empty(second.CancelledTasks);
        Assert.Equal((true, JobLifecycle.State.Succeeded), (afterEnd.AlreadyEnded, afterEnd.State));
        Assert.Empty(afterEnd.CancelledTasks);
        Assert.Equal(JobLifecycle.State.Succeeded, (await f.Coordinator.GetResultAsync(done)).State);
        Assert.Equal(TaskLifecycle.State.Succeeded, f.Engine.Get("done/a").State);
    }

    [Fact]
    public async Task Cancel_racing_with_completion_ends_each_job_exactly_once_and_live_watchers_see_the_end()
    {
        await using var f = new JobFixture(concurrency: 2);
        var ids = new List<JobId>();
        for (var i = 0; i < 200; i++)
        {
            ids.Add(await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", "work"), TaskOf("b", "work", "a")]) { Id = $"race{i}" }));
        }

        var watching = ids.Select(id => f.Coordinator.WatchAsync(id).ToListAsync().AsTask()).ToArray();
        var acks = await Task.WhenAll(ids.Select(id => Task.Run(() => f.Coordinator.CancelJobAsync(id))));
        var results = await Task.WhenAll(ids.Select(id => f.Coordinator.WaitForJobAsync(id)));
        var watched = await Task.WhenAll(watching);

        foreach (var ((ack, result), live) in acks.Zip(results).Zip(watched))
        {
            var events = await f.Coordinator.WatchAsync(result.JobId).ToListAsync();
            Assert.Equal(events, live);
            Assert.Single(events, e => e.IsTerminal);
            Assert.True(events[^1].IsTerminal);
            Assert.Equal(result.State, (await f.Coordinator.GetStatusAsync(result.JobId)).State);
            Assert.Equal(ack.AlreadyEnded ? JobLifecycle.State.Succeeded : JobLifecycle.State.Cancelled, result.State);
        }
    }
}
