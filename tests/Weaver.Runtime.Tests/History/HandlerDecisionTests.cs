using Weaver.Runtime.Tests.Engine;
using Weaver.Runtime.Tests.Jobs;
using static Weaver.Runtime.Tests.Jobs.JobFixture;

namespace Weaver.Runtime.Tests.History;

/// <summary>A handler's own decisions are part of the history, and are fenced by the lease like every write.</summary>
public sealed class HandlerDecisionTests
{
    [Fact]
    public async Task A_decision_a_handler_records_is_explained_with_its_task_and_attempt()
    {
        await using var f = new JobFixture((task, context) =>
        {
            context.RecordDecision("review: at most 3 rounds", "round 1 found 2 issues", "asked for changes");
            return ValueTask.FromResult<object?>($"{task} done");
        });
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("review", "work")]) { Id = "j" });
        await f.Coordinator.WaitForJobAsync(id);

        var explanation = await f.Coordinator.ExplainAsync(id);

        var decision = Assert.Single(explanation.Decisions);
        Assert.Equal(("review", 1), (decision.TaskId, decision.Attempt));
        Assert.Equal(new Decision("review: at most 3 rounds", "round 1 found 2 issues", "asked for changes"), decision.Decision);
        Assert.Equal(decision, Assert.Single(explanation.Tasks).Decisions.Single());
        Assert.Contains("[review, attempt 1] asked for changes", explanation.Text, StringComparison.Ordinal);
        Assert.Contains(f.Engine.Get("j/review").History, e => e.Kind == TaskEventKind.DecisionRecorded);
    }

    [Fact]
    public void A_decision_of_an_attempt_that_lost_its_lease_is_rejected_and_recorded_as_such()
    {
        var f = EngineFixture.Idle();
        var id = f.Engine.Submit(EngineFixture.Kind, 1, RetryPolicy.None with { MaxAttempts = 2 });
        Assert.True(f.Engine.TryStartAttempt(id, "w1", out var zombie));
        Assert.True(f.Engine.TryRecordDecision(zombie, new Decision("p", "e", "before")));
        f.Time.Advance(f.Engine.Claims.Options.StaleAfter + TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, f.Engine.Sweep());

        Assert.False(f.Engine.TryRecordDecision(zombie, new Decision("p", "e", "after")));

        var history = f.Engine.Get(id).History;
        Assert.Equal(["before"], history.Where(e => e.Kind == TaskEventKind.DecisionRecorded).Select(e => e.Decision!.Change));
        Assert.Contains(history, e => e.Kind == TaskEventKind.WriteRejected && e.Detail.StartsWith("The decision of attempt 1 from 'w1'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_context_outside_an_engine_keeps_its_decisions_for_the_handler_test()
    {
        using var attempt = new Weaver.Runtime.Tests.Handlers.Attempt("review");

        attempt.Context.RecordDecision("policy", "evidence", "change");

        Assert.Equal([new Decision("policy", "evidence", "change")], attempt.Context.Decisions);
        Assert.Throws<ArgumentException>(() => attempt.Context.RecordDecision(" ", "evidence", "change"));
    }
}
