using static Weaver.Runtime.Tests.Jobs.JobFixture;

namespace Weaver.Runtime.Tests.Jobs;

/// <summary>Job and task budgets: attempts, deadlines and cost, each ending the job Failed with a reason that names it.</summary>
public sealed class CoordinatorBudgetTests
{
    private static readonly RetryPolicy Retries = new() { MaxAttempts = 10, InitialDelay = TimeSpan.FromSeconds(1), Jitter = 0 };

    [Fact]
    public async Task Job_max_attempts_reached_by_a_retrying_task_fails_the_job_and_cancels_the_rest()
    {
        await using var f = new JobFixture();
        var spec = new JobSpec([new JobTaskSpec("a", Fail, null) { Retry = Retries }, TaskOf("b", "work", "a")])
        {
            Id = "j",
            Budget = new JobBudget { MaxAttempts = 3 },
        };
        var id = await f.Coordinator.SubmitJobAsync(spec);

        var result = await f.DriveUntil(f.Coordinator.WaitForJobAsync(id));

        Assert.Equal(JobLifecycle.State.Failed, result.State);
        Assert.Equal("Budget reached: the job's MaxAttempts of 3 attempts was used up (by tasks a).", result.Reason);
        Assert.Equal(TaskLifecycle.State.Cancelled, f.Engine.Get("j/a").State);
        Assert.Equal(3, f.Engine.Get("j/a").Attempts);
        var status = await f.Coordinator.GetStatusAsync(id);
        Assert.Equal(2, status.Counts[JobTaskState.Cancelled]);
        await AssertBudgetPrecedesFailure(f, id);
    }

    [Fact]
    public async Task Task_max_attempts_smaller_than_its_retry_policy_wins()
    {
        await using var f = new JobFixture();
        var spec = new JobSpec([new JobTaskSpec("a", Fail, null) { Retry = Retries, Budget = new TaskBudget { MaxAttempts = 2 } }]) { Id = "j" };
        var id = await f.Coordinator.SubmitJobAsync(spec);

        var result = await f.DriveUntil(f.Coordinator.WaitForJobAsync(id));

        Assert.Equal(JobLifecycle.State.Failed, result.State);
        Assert.Equal(2, f.Engine.Get("j/a").Attempts);
        Assert.Equal(TaskLifecycle.State.Dead, f.Engine.Get("j/a").State);
        Assert.StartsWith("Task 'a' is dead: Budget reached: task 'a' used up its MaxAttempts of 2 attempt(s).", result.Reason);
        await AssertBudgetPrecedesFailure(f, id);
    }

    [Fact]
    public async Task Job_deadline_cancels_the_hanging_handler_and_fails_the_job()
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", Hang), TaskOf("b", "work", "a")])
        {
            Id = "j",
            Budget = new JobBudget { Deadline = TimeSpan.FromMinutes(1) },
        });
        var context = await f.Started("a");

        f.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(context.CancellationToken.IsCancellationRequested);
        f.Time.Advance(TimeSpan.FromSeconds(1));
        var result = await f.Coordinator.WaitForJobAsync(id);

        Assert.True(context.CancellationToken.IsCancellationRequested);
        Assert.Equal(JobLifecycle.State.Failed, result.State);
        Assert.Equal("Budget reached: the job passed its Deadline of 00:01:00.", result.Reason);
        Assert.Equal(TaskLifecycle.State.Cancelled, (await f.Engine.WaitForCompletionAsync("j/a")).State);
        Assert.Equal(result.Reason, (await f.Coordinator.GetStatusAsync(id)).Reason);
        await AssertBudgetPrecedesFailure(f, id);
    }

    [Fact]
    public async Task Task_deadline_counts_from_when_it_is_queued()
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec(
            [TaskOf("a", "work"), new JobTaskSpec("b", Hang, null) { DependsOn = ["a"], Budget = new TaskBudget { Deadline = TimeSpan.FromMinutes(1) } }])
        {
            Id = "j",
        });
        var context = await f.Started("b");

        f.Time.Advance(TimeSpan.FromMinutes(1));
        var result = await f.Coordinator.WaitForJobAsync(id);

        Assert.True(context.CancellationToken.IsCancellationRequested);
        Assert.Equal(JobLifecycle.State.Failed, result.State);
        Assert.Equal("Budget reached: task 'b' passed its Deadline of 00:01:00.", result.Reason);
        Assert.Equal("a done", result.Results["a"]);
        await AssertBudgetPrecedesFailure(f, id);
    }

    [Fact]
    public async Task Task_max_cost_exceeded_fails_the_job()
    {
        await using var f = new JobFixture(static (task, context) =>
        {
            context.ReportCost(task == "a" ? 5m : 1m);
            return ValueTask.FromResult<object?>($"{task} done");
        });
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec(
            [new JobTaskSpec("a", "work", null) { Budget = new TaskBudget { MaxCost = 3m } }, TaskOf("b", "work", "a")])
        {
            Id = "j",
        });

        var result = await f.DriveUntil(f.Coordinator.WaitForJobAsync(id));

        Assert.Equal(JobLifecycle.State.Failed, result.State);
        Assert.Equal("Budget reached: task 'a' exceeded its MaxCost of 3 (its attempts cost 5).", result.Reason);
        Assert.Equal(5m, f.Engine.Get("j/a").Cost);
        Assert.DoesNotContain("start:b", f.Log);
        await AssertBudgetPrecedesFailure(f, id);
    }

    [Fact]
    public async Task Job_max_cost_exceeded_over_several_tasks_fails_the_job()
    {
        await using var f = new JobFixture(static (task, context) =>
        {
            context.ReportCost(2m);
            return ValueTask.FromResult<object?>($"{task} done");
        });
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", "work"), TaskOf("b", "work", "a"), TaskOf("c", "work", "b")])
        {
            Id = "j",
            Budget = new JobBudget { MaxCost = 3m },
        });

        var result = await f.DriveUntil(f.Coordinator.WaitForJobAsync(id));

        Assert.Equal(JobLifecycle.State.Failed, result.State);
        Assert.Equal("Budget reached: the job's MaxCost of 3 was exceeded (its attempts cost 4).", result.Reason);
        Assert.DoesNotContain("start:c", f.Log);
        await AssertBudgetPrecedesFailure(f, id);
    }

    [Fact]
    public async Task A_job_within_all_its_budgets_succeeds()
    {
        await using var f = new JobFixture(static (task, context) =>
        {
            context.ReportCost(1m);
            return ValueTask.FromResult<object?>($"{task} done");
        });
        var budget = new TaskBudget { MaxAttempts = 1, Deadline = TimeSpan.FromHours(1), MaxCost = 1m };
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec(
            [new JobTaskSpec("a", "work", null) { Budget = budget }, new JobTaskSpec("b", "work", null) { DependsOn = ["a"], Budget = budget }])
        {
            Id = "j",
            Budget = new JobBudget { MaxAttempts = 2, Deadline = TimeSpan.FromHours(1), MaxCost = 2m },
        });

        var result = await f.DriveUntil(f.Coordinator.WaitForJobAsync(id));
        f.Time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(JobLifecycle.State.Succeeded, result.State);
        Assert.Null(result.Reason);
        Assert.Equal(JobLifecycle.State.Succeeded, (await f.Coordinator.GetResultAsync(id)).State);
        Assert.Equal(2m, f.Engine.Get("j/a").Cost + f.Engine.Get("j/b").Cost);
    }

    private static async Task AssertBudgetPrecedesFailure(JobFixture f, JobId id)
    {
        var kinds = new List<JobEventKind>();
        await foreach (var entry in f.Coordinator.WatchAsync(id))
        {
            kinds.Add(entry.Kind);
        }

        Assert.Equal(JobEventKind.JobFailed, kinds[^1]);
        Assert.Contains(JobEventKind.BudgetReached, kinds);
        Assert.True(kinds.IndexOf(JobEventKind.BudgetReached) < kinds.IndexOf(JobEventKind.JobFailed));
    }
}
