using Weaver.Runtime.Tests.Jobs;
using static Weaver.Runtime.Tests.Jobs.JobFixture;
using static Weaver.Runtime.Tests.Sagas.SagaSpecs;

namespace Weaver.Runtime.Tests.Sagas;

/// <summary>
/// A saga that ended is immutable but for audit notes: for each terminal marker, every later mutation and every lease
/// attempt on its tasks is rejected and changes nothing.
/// </summary>
public sealed class TerminalSagaTests
{
    public static TheoryData<SagaLifecycle.State> Terminals() =>
        [SagaLifecycle.State.Completed, SagaLifecycle.State.Failed, SagaLifecycle.State.Compensated, SagaLifecycle.State.Quarantined];

    [Theory]
    [MemberData(nameof(Terminals))]
    public async Task Each_terminal_marker_writes_its_state_and_reason(SagaLifecycle.State terminal)
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(SpecEndingIn(terminal));

        var result = await f.Coordinator.WaitForJobAsync(id);
        var status = await f.Coordinator.GetStatusAsync(id);

        Assert.Equal(terminal, result.Saga);
        Assert.Equal(terminal, status.Saga);
        Assert.Equal(terminal == SagaLifecycle.State.Completed ? JobLifecycle.State.Succeeded : JobLifecycle.State.Failed, result.State);
        Assert.Equal(result.Reason, status.Reason);
        var expectedReason = terminal switch
        {
            SagaLifecycle.State.Completed => null,
            SagaLifecycle.State.Failed => "Nothing had to be compensated.",
            SagaLifecycle.State.Compensated => "Compensated: 'b', 'a'.",
            SagaLifecycle.State.Quarantined => "not compensated: 'b', 'a'.",
            _ => throw new ArgumentOutOfRangeException(nameof(terminal)),
        };
        if (expectedReason is null)
        {
            Assert.Null(result.Reason);
        }
        else
        {
            Assert.EndsWith(expectedReason, result.Reason, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Terminals))]
    public async Task Every_later_mutation_and_lease_attempt_is_rejected_and_changes_nothing(SagaLifecycle.State terminal)
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(SpecEndingIn(terminal));
        var result = await f.Coordinator.WaitForJobAsync(id);
        var before = await Observe(f, id);

        var ack = await f.Coordinator.CancelJobAsync(id);
        Assert.True(ack.AlreadyEnded);
        Assert.Empty(ack.CancelledTasks);
        Assert.Equal(result.State, ack.State);
        await Assert.ThrowsAsync<ArgumentException>(() => f.Coordinator.SubmitJobAsync(SpecEndingIn(terminal)));
        foreach (var engineTask in before.EngineTasks)
        {
            Assert.False(f.Engine.TryStartAttempt(engineTask.Id, "late-worker", out _), $"A lease on '{engineTask.Id}' was granted after the saga ended.");
            Assert.False(f.Engine.TryCancel(engineTask.Id));
        }

        f.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, f.Engine.Sweep());

        var after = await Observe(f, id);
        AssertSameStatus(before.Status, after.Status);
        Assert.Empty(after.Status.Audit);
        Assert.Equal(before.Events, after.Events);
        Assert.Equal(before.EngineTasks.Select(t => (t.Id, t.State, t.Attempts, t.History.Count)), after.EngineTasks.Select(t => (t.Id, t.State, t.Attempts, t.History.Count)));
        Assert.Same(result, await f.Coordinator.GetResultAsync(id));
    }

    [Theory]
    [MemberData(nameof(Terminals))]
    public async Task Audit_notes_are_the_one_thing_added_to_an_ended_saga(SagaLifecycle.State terminal)
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(SpecEndingIn(terminal));
        await f.Coordinator.WaitForJobAsync(id);
        var before = await Observe(f, id);

        await f.Coordinator.AnnotateAsync(id, "ticket", "OPS-17");

        var after = await Observe(f, id);
        var note = Assert.Single(after.Status.Audit);
        Assert.Equal(("ticket", "OPS-17", f.Time.GetUtcNow()), (note.Key, note.Value, note.At));
        AssertSameStatus(before.Status, after.Status);
        Assert.Equal(before.Events, after.Events);
        Assert.Contains("ticket = OPS-17", (await f.Coordinator.ExplainAsync(id)).Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Terminals))]
    public void No_trigger_leaves_a_terminal_saga_state(SagaLifecycle.State terminal)
    {
        var saga = SagaLifecycle.Restore(terminal);

        Assert.False(saga.TryComplete());
        Assert.False(saga.TryFail());
        Assert.False(saga.TryCompensate());
        Assert.False(saga.TryMarkCompensated());
        Assert.False(saga.TryQuarantine());
        Assert.Equal(terminal, saga.Current);
        Assert.True(SagaLifecycle.IsTerminalState(terminal));
    }

    [Fact]
    public async Task Annotating_an_unknown_job_says_so()
    {
        await using var f = new JobFixture(startWorkers: false);

        await Assert.ThrowsAsync<JobNotFoundException>(() => f.Coordinator.AnnotateAsync(new JobId("nope"), "k", "v"));
    }

    private static void AssertSameStatus(JobStatus expected, JobStatus actual)
    {
        Assert.Equal((expected.JobId, expected.State, expected.Reason, expected.Saga), (actual.JobId, actual.State, actual.Reason, actual.Saga));
        Assert.Equal(expected.Counts, actual.Counts);
        Assert.Equal(expected.Tasks, actual.Tasks);
        Assert.Equal(expected.Compensations, actual.Compensations);
    }

    private static JobSpec SpecEndingIn(SagaLifecycle.State terminal) => terminal switch
    {
        SagaLifecycle.State.Completed => ThreeSteps(),
        SagaLifecycle.State.Failed => new JobSpec([Step("a", Fail), Step("b", "work", after: "a")]) { Id = "s" },
        SagaLifecycle.State.Compensated => ThreeSteps(cKind: Fail),
        SagaLifecycle.State.Quarantined => ThreeSteps(cKind: Fail, bUndo: Fail),
        _ => throw new ArgumentOutOfRangeException(nameof(terminal)),
    };

    private static async Task<(JobStatus Status, List<JobEvent> Events, TaskSnapshot[] EngineTasks)> Observe(JobFixture f, JobId id) => (
        await f.Coordinator.GetStatusAsync(id),
        await f.Coordinator.WatchAsync(id).ToListAsync(),
        f.Engine.All().Where(t => t.Id.StartsWith($"{id}/", StringComparison.Ordinal)).OrderBy(t => t.Id, StringComparer.Ordinal).ToArray());
}
