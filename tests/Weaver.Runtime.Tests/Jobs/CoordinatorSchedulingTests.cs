using static Weaver.Runtime.Tests.Jobs.JobFixture;

namespace Weaver.Runtime.Tests.Jobs;

/// <summary>Tasks run after their dependencies; a task that dies or is cancelled blocks its descendants and ends the job.</summary>
public sealed class CoordinatorSchedulingTests
{
    [Fact]
    public async Task A_diamond_runs_every_task_after_all_of_its_dependencies()
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(
            new JobSpec([TaskOf("d", "work", "b", "c"), TaskOf("b", "work", "a"), TaskOf("c", "work", "a"), TaskOf("a", "work")]) { Id = "diamond" });

        var result = await f.Coordinator.WaitForJobAsync(id);

        Assert.Equal(JobLifecycle.State.Succeeded, result.State);
        var log = f.Log.ToList();
        Assert.Equal(8, log.Count);
        Assert.Equal(["start:a", "end:a"], log[..2]);
        Assert.Equal(["start:d", "end:d"], log[^2..]);
        Assert.Equal(["end:b", "end:c", "start:b", "start:c"], log[2..6].Order(StringComparer.Ordinal));
        Assert.Equal(["a", "b", "c", "d"], result.Results.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_dead_task_blocks_its_descendants_while_independent_branches_finish_and_the_job_fails_naming_it()
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([
            TaskOf("a", Fail),
            TaskOf("b", "work", "a"),
            TaskOf("c", "work", "b"),
            TaskOf("x", "work"),
            TaskOf("y", "work", "x"),
            TaskOf("d", "work", "a", "y"),
        ]) { Id = "j" });

        var result = await f.Coordinator.WaitForJobAsync(id);
        var status = await f.Coordinator.GetStatusAsync(id);

        Assert.Equal(JobLifecycle.State.Failed, result.State);
        Assert.Equal(
            "Task 'a' is dead: InvalidOperationException: boom in a. Blocked, so never run: 'b', 'c', 'd'.",
            result.Reason);
        Assert.Equal(result.Reason, status.Reason);
        Assert.Equal(
            [("a", JobTaskState.Dead), ("b", JobTaskState.Blocked), ("c", JobTaskState.Blocked), ("x", JobTaskState.Succeeded), ("y", JobTaskState.Succeeded), ("d", JobTaskState.Blocked)],
            status.Tasks.Select(task => (task.TaskId, task.State)));
        Assert.Equal(3, status.Counts[JobTaskState.Blocked]);
        Assert.Equal(["x", "y"], result.Results.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["a", "b", "c", "d"], result.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("It depends on 'a', which is dead.", result.Errors["c"]);
        Assert.DoesNotContain(f.Log, entry => entry is "start:b" or "start:c" or "start:d");
        Assert.Throws<KeyNotFoundException>(() => f.Engine.Get("j/b"));
    }

    [Fact]
    public async Task A_task_cancelled_in_the_engine_on_its_own_fails_the_job_instead_of_leaving_it_stuck()
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", Hang), TaskOf("b", "work", "a")]) { Id = "j" });
        var context = await f.Started("a");

        Assert.True(f.Engine.TryCancel("j/a"));
        var result = await f.Coordinator.WaitForJobAsync(id);

        Assert.True(context.CancellationToken.IsCancellationRequested);
        Assert.Equal(JobLifecycle.State.Failed, result.State);
        Assert.StartsWith("Task 'a' was cancelled", result.Reason, StringComparison.Ordinal);
        Assert.EndsWith("Blocked, so never run: 'b'.", result.Reason, StringComparison.Ordinal);
        Assert.Equal(JobTaskState.Blocked, (await f.Coordinator.GetStatusAsync(id)).Tasks[1].State);
    }

    [Fact]
    public async Task A_task_that_fails_and_is_retried_succeeds_on_a_later_attempt_and_its_dependents_run()
    {
        var failures = 0;
        await using var f = new JobFixture((task, _) => task == "a" && Interlocked.Increment(ref failures) == 1
            ? throw new TimeoutException("flaky")
            : ValueTask.FromResult<object?>($"{task} done"));
        var retry = new RetryPolicy { MaxAttempts = 2, InitialDelay = TimeSpan.FromMinutes(1), Jitter = 0 };
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([new JobTaskSpec("a", "work", null) { Retry = retry }, TaskOf("b", "work", "a")]) { Id = "j" });

        var result = await f.DriveUntil(f.Coordinator.WaitForJobAsync(id));

        Assert.Equal(JobLifecycle.State.Succeeded, result.State);
        Assert.Equal(2, (await f.Coordinator.GetStatusAsync(id)).Tasks[0].Attempts);
    }
}
