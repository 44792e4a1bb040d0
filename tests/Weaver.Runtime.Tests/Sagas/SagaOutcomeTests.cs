using Weaver.Runtime.Tests.Jobs;
using static Weaver.Runtime.Tests.Jobs.JobFixture;
using static Weaver.Runtime.Tests.Sagas.SagaSpecs;

namespace Weaver.Runtime.Tests.Sagas;

/// <summary>Each way a saga ends: the state and reason it writes, and the compensations it ran.</summary>
public sealed class SagaOutcomeTests
{
    [Fact]
    public async Task A_saga_whose_steps_all_succeed_is_completed_and_compensates_nothing()
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(ThreeSteps());

        var result = await f.Coordinator.WaitForJobAsync(id);

        Assert.Equal(JobLifecycle.State.Succeeded, result.State);
        Assert.Equal(SagaLifecycle.State.Completed, result.Saga);
        Assert.Null(result.Reason);
        Assert.Empty(result.Compensations);
        Assert.DoesNotContain(f.Log, entry => entry.Contains("#compensation", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_saga_whose_first_step_fails_has_nothing_to_undo_and_is_failed()
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([Step("a", Fail), Step("b", "work", after: "a")]) { Id = "s" });

        var result = await f.Coordinator.WaitForJobAsync(id);

        Assert.Equal(JobLifecycle.State.Failed, result.State);
        Assert.Equal(SagaLifecycle.State.Failed, result.Saga);
        Assert.Equal("Task 'a' is dead: InvalidOperationException: boom in a. Blocked, so never run: 'b'. Nothing had to be compensated.", result.Reason);
        Assert.Empty(result.Compensations);
    }

    [Fact]
    public async Task A_failed_step_undoes_the_succeeded_steps_last_first_and_the_saga_is_compensated()
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(ThreeSteps(cKind: Fail));

        var result = await f.Coordinator.WaitForJobAsync(id);

        Assert.Equal(JobLifecycle.State.Failed, result.State);
        Assert.Equal(SagaLifecycle.State.Compensated, result.Saga);
        Assert.Equal("Task 'c' is dead: InvalidOperationException: boom in c. Compensated: 'b', 'a'.", result.Reason);
        Assert.Equal(
            [("b", CompensationState.Succeeded, 1), ("a", CompensationState.Succeeded, 1)],
            result.Compensations.Select(c => (c.TaskId, c.State, c.Attempts)));
        Assert.Equal(["s/b#compensation", "s/a#compensation"], result.Compensations.Select(c => c.EngineTaskId));
        var log = f.Log.ToList();
        Assert.True(log.IndexOf("end:b#compensation") < log.IndexOf("start:a#compensation"), string.Join(", ", log));

        var status = await f.Coordinator.GetStatusAsync(id);
        Assert.Equal(
            [("a", JobTaskState.Compensated), ("b", JobTaskState.Compensated), ("c", JobTaskState.Dead)],
            status.Tasks.Select(t => (t.TaskId, t.State)));
        Assert.Equal(SagaLifecycle.State.Compensated, status.Saga);
        Assert.Equal(2, status.Counts[JobTaskState.Compensated]);
    }

    [Fact]
    public async Task A_compensation_that_fails_quarantines_the_saga_and_the_earlier_ones_never_run()
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(ThreeSteps(cKind: Fail, bUndo: Fail));

        var result = await f.Coordinator.WaitForJobAsync(id);

        Assert.Equal(JobLifecycle.State.Failed, result.State);
        Assert.Equal(SagaLifecycle.State.Quarantined, result.Saga);
        Assert.Equal(
            "Task 'c' is dead: InvalidOperationException: boom in c. Quarantined: the compensation of 'b' failed "
                + "(InvalidOperationException: boom in b#compensation); not compensated: 'b', 'a'.",
            result.Reason);
        Assert.Equal(
            [("b", CompensationState.Failed), ("a", CompensationState.NotRun)],
            result.Compensations.Select(c => (c.TaskId, c.State)));
        Assert.Equal("Not run: the compensation of 'b' failed first.", result.Compensations[1].Error);
        Assert.DoesNotContain("start:a#compensation", f.Log);

        var events = await f.Coordinator.WatchAsync(id).ToListAsync();
        var failed = Assert.Single(events, e => e.Kind == JobEventKind.CompensationFailed);
        Assert.Equal("The saga is quarantined; not compensated: 'b', 'a'.", failed.Decision!.Change);
    }

    [Fact]
    public async Task A_cancelled_saga_stops_its_running_step_then_compensates_what_succeeded()
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([Step("a", "work"), Step("b", Hang, after: "a"), Step("c", "work", after: "b")]) { Id = "s" });
        await f.Started("b");

        var ack = await f.Coordinator.CancelJobAsync(id);
        var result = await f.Coordinator.WaitForJobAsync(id);

        Assert.False(ack.AlreadyEnded);
        Assert.Equal(["b", "c"], ack.CancelledTasks);
        Assert.Equal(JobLifecycle.State.Cancelled, result.State);
        Assert.Equal(SagaLifecycle.State.Compensated, result.Saga);
        Assert.Equal("Cancelled by request. Compensated: 'a'.", result.Reason);
        var events = await f.Coordinator.WatchAsync(id).ToListAsync();
        Assert.Equal(JobEventKind.JobCancelled, events[^1].Kind);
        Assert.Single(events, e => e.IsTerminal);
    }

    [Fact]
    public async Task A_cancel_while_a_saga_compensates_changes_nothing_and_the_compensation_finishes()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var f = new JobFixture(async (task, _) =>
        {
            if (task.EndsWith("#compensation", StringComparison.Ordinal))
            {
                await release.Task;
            }

            return $"{task} done";
        });
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([Step("a", "work"), Step("b", Fail, undo: null, after: "a")]) { Id = "s" });
        await f.Started("a#compensation");

        var ack = await f.Coordinator.CancelJobAsync(id);
        release.SetResult();
        var result = await f.Coordinator.WaitForJobAsync(id);

        Assert.True(ack.AlreadyEnded);
        Assert.Empty(ack.CancelledTasks);
        Assert.Equal(JobLifecycle.State.Failed, result.State);
        Assert.Equal(SagaLifecycle.State.Compensated, result.Saga);
    }

    [Fact]
    public async Task A_compensation_gets_the_result_of_its_step_unless_it_has_its_own_input()
    {
        var inputs = new System.Collections.Concurrent.ConcurrentDictionary<string, object?>();
        var registry = new HandlerRegistry();
        registry.Add(HandlerRegistration.Create<ObjectHandler, object?, object?>("reserve", () => new ObjectHandler((_, _) => ValueTask.FromResult<object?>("reservation-7"))));
        registry.Add(HandlerRegistration.Create<ObjectHandler, object?, object?>("release", () => new ObjectHandler((input, context) =>
        {
            inputs[context.TaskId] = input;
            return ValueTask.FromResult<object?>(null);
        })));
        registry.Add(HandlerRegistration.Create<ObjectHandler, object?, object?>("charge", () => new ObjectHandler((_, _) => throw new InvalidOperationException("declined"))));
        using var engine = new TaskEngine(registry, new TaskEngineOptions { Retry = RetryPolicy.None });
        using var coordinator = new JobCoordinator(engine);
        await using var workers = new WorkerGroup(engine);
        workers.Start();

        var id = await coordinator.SubmitJobAsync(new JobSpec([
            new JobTaskSpec("hold", "reserve", null) { Compensation = new CompensationSpec("release") },
            new JobTaskSpec("note", "reserve", null) { Compensation = new CompensationSpec("release") { Input = "explicit" } },
            new JobTaskSpec("pay", "charge", null) { DependsOn = ["hold", "note"] },
        ]) { Id = "order" });
        var result = await coordinator.WaitForJobAsync(id);
        await workers.StopAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(SagaLifecycle.State.Compensated, result.Saga);
        Assert.Equal("reservation-7", inputs["order/hold#compensation"]);
        Assert.Equal("explicit", inputs["order/note#compensation"]);
    }

    [Fact]
    public async Task A_job_without_compensations_has_no_saga()
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", Fail)]));

        var result = await f.Coordinator.WaitForJobAsync(id);

        Assert.Null(result.Saga);
        Assert.Null((await f.Coordinator.GetStatusAsync(id)).Saga);
    }

    [Fact]
    public async Task Compensations_with_a_blank_or_unknown_kind_are_rejected_at_submit()
    {
        await using var f = new JobFixture(startWorkers: false);

        var blank = await Assert.ThrowsAsync<InvalidJobSpecException>(() => f.Coordinator.SubmitJobAsync(new JobSpec([Step("a", "work", undo: " ")])));
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => f.Coordinator.SubmitJobAsync(new JobSpec([Step("a", "work", undo: "refund")])));

        Assert.Contains("task 'a' has a compensation with a blank kind", blank.Message, StringComparison.Ordinal);
        Assert.Contains("task 'a' needs kind 'refund'", unknown.Message, StringComparison.Ordinal);
        Assert.Empty(f.Engine.All());
    }
}
