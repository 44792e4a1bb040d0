using static Weaver.Runtime.Tests.Jobs.JobFixture;

namespace Weaver.Runtime.Tests.Jobs;

/// <summary><see cref="JobCoordinator.WatchAsync"/> replays what happened, follows what happens, and ends with the job.</summary>
public sealed class CoordinatorWatchTests
{
    [Fact]
    public async Task A_watcher_sees_every_event_in_order_live_and_stops_after_the_jobs_last()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var f = new JobFixture(async (task, _) =>
        {
            if (task == "a")
            {
                await release.Task;
            }

            return task;
        });
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", "work"), TaskOf("b", "work", "a")]) { Id = "j" });
        await using var events = f.Coordinator.WatchAsync(id).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
        Assert.True(await events.MoveNextAsync());
        var seen = new List<JobEvent> { events.Current };
        var next = events.MoveNextAsync();
        Assert.False(next.IsCompleted);

        release.SetResult();
        for (var more = await next; more; more = await events.MoveNextAsync())
        {
            seen.Add(events.Current);
        }

        Assert.Equal(
            [
                (null, JobEventKind.Submitted),
                ("a", JobEventKind.TaskQueued),
                ("a", JobEventKind.TaskSucceeded),
                ("b", JobEventKind.TaskQueued),
                ("b", JobEventKind.TaskSucceeded),
                (null, JobEventKind.JobSucceeded),
            ],
            (await f.Coordinator.WatchAsync(id).ToListAsync()).Select(e => (e.TaskId, e.Kind)));
        Assert.Equal(
            [("a", JobEventKind.TaskQueued), ("a", JobEventKind.TaskSucceeded), ("b", JobEventKind.TaskQueued), ("b", JobEventKind.TaskSucceeded), (null, JobEventKind.JobSucceeded)],
            seen.Select(e => (e.TaskId, e.Kind)));
        Assert.All(seen, e => Assert.Equal(id, e.JobId));
        Assert.All(seen, e => Assert.Equal(f.Time.GetUtcNow(), e.At));
        Assert.Equal("Queued as engine task 'j/b'.", seen[2].Detail);
    }

    [Fact]
    public async Task A_failed_job_reports_the_dead_task_then_the_blocked_ones_then_its_failure()
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", Fail), TaskOf("b", "work", "a"), TaskOf("c", "work", "b")]) { Id = "j" });
        var result = await f.Coordinator.WaitForJobAsync(id);

        var events = await f.Coordinator.WatchAsync(id).ToListAsync();

        Assert.Equal(
            [
                (null, JobEventKind.Submitted),
                ("a", JobEventKind.TaskQueued),
                ("a", JobEventKind.TaskDead),
                ("b", JobEventKind.TaskBlocked),
                ("c", JobEventKind.TaskBlocked),
                (null, JobEventKind.JobFailed),
            ],
            events.Select(e => (e.TaskId, e.Kind)));
        Assert.Equal(result.Reason, events[^1].Detail);
        Assert.Contains("boom in a", events[2].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_job_reports_each_cancelled_task_then_its_cancellation()
    {
        await using var f = new JobFixture(startWorkers: false);
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", "work"), TaskOf("b", "work", "a")]) { Id = "j" });
        await f.Coordinator.CancelJobAsync(id);

        var events = await f.Coordinator.WatchAsync(id).ToListAsync();

        Assert.Equal(
            [
                (null, JobEventKind.Submitted),
                ("a", JobEventKind.TaskQueued),
                (null, JobEventKind.CancelRequested),
                ("b", JobEventKind.TaskCancelled),
                ("a", JobEventKind.TaskCancelled),
                (null, JobEventKind.JobCancelled),
            ],
            events.Select(e => (e.TaskId, e.Kind)));
    }

    [Fact]
    public async Task Watching_can_be_stopped_without_stopping_the_job()
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", Hang)]) { Id = "j" });
        using var stop = new CancellationTokenSource();
        await using var events = f.Coordinator.WatchAsync(id, stop.Token).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
        Assert.True(await events.MoveNextAsync());

        var next = events.MoveNextAsync();
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
        Assert.Equal(JobLifecycle.State.Running, (await f.Coordinator.GetStatusAsync(id)).State);
    }
}
