using Weaver.Runtime.Tests.Jobs;
using static Weaver.Runtime.Tests.Jobs.JobFixture;

namespace Weaver.Runtime.Tests.History;

/// <summary>
/// <see cref="IWeaverClient.ExplainAsync"/> tells why a job ended as it did: each attempt's action, observation and
/// outcome, and each decision's evidence, policy and change.
/// </summary>
public sealed class ExplainTests
{
    [Fact]
    public async Task A_saga_that_retried_was_reclaimed_from_a_stale_worker_and_compensated_is_explained()
    {
        // Workers are played by hand so each attempt's story is exact: w2 claims attempt 2 and then never heartbeats.
        await using var f = new JobFixture(startWorkers: false);
        var retry = new RetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.FromSeconds(1), Jitter = 0 };
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([
            new JobTaskSpec("reserve", "work", null) { Compensation = new CompensationSpec("work") },
            new JobTaskSpec("charge", "work", null) { DependsOn = ["reserve"], Retry = retry },
        ]) { Id = "order-42" });

        Assert.True(f.Engine.TryStartAttempt("order-42/reserve", "w1", out var reserve));
        Assert.True(f.Engine.TryComplete(reserve, "R-7"));
        await f.EventAsync(id, e => e is { TaskId: "charge", Kind: JobEventKind.TaskQueued });

        Assert.True(f.Engine.TryStartAttempt("order-42/charge", "w1", out var first));
        Assert.True(f.Engine.TryFail(first, new InvalidOperationException("card declined")));
        f.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(f.Engine.TryStartAttempt("order-42/charge", "w2", out var zombie));
        f.Time.Advance(f.Engine.Claims.Options.StaleAfter + TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, f.Engine.Sweep());
        Assert.False(f.Engine.TryComplete(zombie, "charged twice"));
        Assert.True(f.Engine.TryStartAttempt("order-42/charge", "w3", out var third));
        Assert.True(f.Engine.TryFail(third, new InvalidOperationException("card declined again")));
        await f.EventAsync(id, e => e.Kind == JobEventKind.CompensationStarted);
        Assert.True(f.Engine.TryStartAttempt("order-42/reserve#compensation", "w1", out var undo));
        Assert.Equal("R-7", undo.Input);
        Assert.True(f.Engine.TryComplete(undo, null));
        await f.Coordinator.WaitForJobAsync(id);

        var explanation = await f.Coordinator.ExplainAsync(id);

        Assert.Equal((JobLifecycle.State.Failed, SagaLifecycle.State.Compensated), (explanation.State, explanation.Saga));
        Assert.Equal(
            "Job 'order-42' failed (saga compensated): Task 'charge' is dead: InvalidOperationException: card declined again. Compensated: 'reserve'.",
            explanation.Summary);

        var charge = Assert.Single(explanation.Tasks, t => t.TaskId == "charge");
        Assert.Equal(JobTaskState.Dead, charge.State);
        Assert.Equal(
            [(1, "w1", AttemptOutcome.Failed), (2, "w2", AttemptOutcome.Reclaimed), (3, "w3", AttemptOutcome.Failed)],
            charge.Attempts.Select(a => (a.Number, a.Owner, a.Outcome)));
        Assert.All(charge.Attempts, a => Assert.StartsWith("Ran handler 'work' as ", a.Action, StringComparison.Ordinal));
        Assert.Contains("card declined", charge.Attempts[0].Observation, StringComparison.Ordinal);
        Assert.Contains("went stale", charge.Attempts[1].Observation, StringComparison.Ordinal);
        Assert.Contains("The commit of attempt 2 from 'w2' (epoch", charge.Attempts[1].Observation, StringComparison.Ordinal);
        Assert.Contains("was rejected", charge.Attempts[1].Observation, StringComparison.Ordinal);

        var reserveTask = Assert.Single(explanation.Tasks, t => t.TaskId == "reserve");
        Assert.Equal(JobTaskState.Compensated, reserveTask.State);
        Assert.Equal(AttemptOutcome.Succeeded, Assert.Single(reserveTask.Attempts).Outcome);
        Assert.Equal(AttemptOutcome.Succeeded, Assert.Single(reserveTask.CompensationAttempts).Outcome);
        Assert.Equal(("reserve", CompensationState.Succeeded), (Assert.Single(explanation.Compensations).TaskId, explanation.Compensations[0].State));

        var decisions = explanation.Decisions;
        Assert.Equal(decisions.OrderBy(d => d.At), decisions);
        var retried = Assert.Single(decisions, d => d.TaskId == "charge" && d.Attempt == 1);
        Assert.StartsWith("Retry policy: at most 3 attempt(s)", retried.Decision.Policy, StringComparison.Ordinal);
        Assert.Contains("card declined; 1 of 3 attempt(s) used", retried.Decision.Evidence, StringComparison.Ordinal);
        Assert.StartsWith("Attempt 2 scheduled for", retried.Decision.Change, StringComparison.Ordinal);
        var reclaimed = Assert.Single(decisions, d => d.TaskId == "charge" && d.Attempt == 2);
        Assert.StartsWith("Lease rule:", reclaimed.Decision.Policy, StringComparison.Ordinal);
        Assert.Contains("The lease of 'w2'", reclaimed.Decision.Evidence, StringComparison.Ordinal);
        Assert.Contains("taken back", reclaimed.Decision.Change, StringComparison.Ordinal);
        var died = Assert.Single(decisions, d => d.TaskId == "charge" && d.Attempt == 3);
        Assert.Equal("No retry: the task is dead.", died.Decision.Change);
        Assert.Contains(decisions, d => d.TaskId is null && d.Decision.Change == "Their compensations run in this order: 'reserve'.");
        Assert.Contains(decisions, d => d.TaskId is null && d.Decision.Change == "The saga is compensated.");

        var text = explanation.Text;
        Assert.StartsWith(explanation.Summary, text, StringComparison.Ordinal);
        Assert.Contains("  charge (work): dead: ", text, StringComparison.Ordinal);
        Assert.Contains("    attempt 2, 2026-11-22 12:00:01.000Z to ", text, StringComparison.Ordinal);
        Assert.Contains(": reclaimed", text, StringComparison.Ordinal);
        Assert.Contains("    compensation attempt 1, ", text, StringComparison.Ordinal);
        Assert.Contains("  1. reserve undone by work: succeeded after 1 attempt(s)", text, StringComparison.Ordinal);
        Assert.Contains("      policy: Lease rule:", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_blocked_by_a_dead_task_explains_the_block_and_its_end()
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", Fail), TaskOf("b", "work", "a")]) { Id = "j" });
        await f.Coordinator.WaitForJobAsync(id);

        var explanation = await f.Coordinator.ExplainAsync(id);

        Assert.Equal("Job 'j' failed: Task 'a' is dead: InvalidOperationException: boom in a. Blocked, so never run: 'b'.", explanation.Summary);
        var block = Assert.Single(explanation.Decisions, d => d.TaskId == "b");
        Assert.StartsWith("DAG rule: a task runs only once every task it depends on has succeeded.", block.Decision.Policy, StringComparison.Ordinal);
        Assert.Equal("'b' will never run.", block.Decision.Change);
        var end = explanation.Decisions[^1];
        Assert.Null(end.TaskId);
        Assert.Equal("The job failed.", end.Decision.Change);
        Assert.Equal("No task can run anymore: 1 dead, 1 blocked.", end.Decision.Evidence);
        Assert.Empty(Assert.Single(explanation.Tasks, t => t.TaskId == "b").Attempts);
    }

    [Fact]
    public async Task A_running_job_is_explained_so_far_and_an_unknown_one_is_not_found()
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", "work"), TaskOf("b", Hang, "a")]) { Id = "j" });
        await f.Started("b");

        var explanation = await f.Coordinator.ExplainAsync(id);

        Assert.Equal("Job 'j' is running: 1 of 2 task(s) succeeded so far.", explanation.Summary);
        var b = Assert.Single(explanation.Tasks, t => t.TaskId == "b");
        Assert.Equal(JobTaskState.Running, b.State);
        Assert.Equal(AttemptOutcome.Running, Assert.Single(b.Attempts).Outcome);
        await Assert.ThrowsAsync<JobNotFoundException>(() => f.Coordinator.ExplainAsync(new JobId("nope")));
    }

    [Fact]
    public async Task A_reached_budget_is_a_decision_that_names_the_budget()
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", Hang)]) { Id = "j", Budget = new JobBudget { Deadline = TimeSpan.FromMinutes(1) } });
        await f.Started("a");

        f.Time.Advance(TimeSpan.FromMinutes(1));
        await f.Coordinator.WaitForJobAsync(id);
        var explanation = await f.Coordinator.ExplainAsync(id);

        var budget = Assert.Single(explanation.Decisions, d => d.Decision.Policy.StartsWith("Budgets:", StringComparison.Ordinal));
        Assert.Equal("Budget reached: the job passed its Deadline of 00:01:00.", budget.Decision.Evidence);
        Assert.Contains("Deadline = 00:01:00", budget.Decision.Policy, StringComparison.Ordinal);
        Assert.Equal(AttemptOutcome.Cancelled, Assert.Single(Assert.Single(explanation.Tasks).Attempts).Outcome);
    }
}
