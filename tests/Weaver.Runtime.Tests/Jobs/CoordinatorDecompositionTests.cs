using static Weaver.Runtime.Tests.Jobs.JobFixture;

namespace Weaver.Runtime.Tests.Jobs;

/// <summary>A decider splits a succeeded task into children; the parent completes only after them, within a depth limit.</summary>
public sealed class CoordinatorDecompositionTests
{
    [Fact]
    public async Task A_parent_split_into_three_children_completes_after_them_and_its_dependent_starts_after_them()
    {
        await using var f = new JobFixture();
        f.Coordinator.AddDecider("split", new Decider(task => task.Id == "p"
            ? [TaskOf("c1", "work"), TaskOf("c2", "work", "c1"), TaskOf("c3", "work")]
            : []));
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("p", "split"), TaskOf("after", "work", "p")]) { Id = "j" });

        var result = await f.Coordinator.WaitForJobAsync(id);
        var status = await f.Coordinator.GetStatusAsync(id);

        Assert.Equal(JobLifecycle.State.Succeeded, result.State);
        Assert.Equal(["after", "p", "p/c1", "p/c2", "p/c3"], result.Results.Keys.Order(StringComparer.Ordinal));
        var log = f.Log.ToList();
        Assert.True(log.IndexOf("end:c1") < log.IndexOf("start:c2"));
        var startAfter = log.IndexOf("start:after");
        Assert.All(["end:c1", "end:c2", "end:c3"], entry => Assert.True(log.IndexOf(entry) < startAfter));
        Assert.All(status.Tasks, task => Assert.Equal(JobTaskState.Succeeded, task.State));
        var events = await Events(f, id);
        var decomposed = events.FindIndex(e => e.Kind == JobEventKind.TaskDecomposed && e.TaskId == "p");
        var parentDone = events.FindIndex(e => e.Kind == JobEventKind.TaskSucceeded && e.TaskId == "p");
        Assert.True(decomposed >= 0 && parentDone > decomposed);
        Assert.All(["p/c1", "p/c2", "p/c3"], child =>
            Assert.True(events.FindIndex(e => e.Kind == JobEventKind.TaskSucceeded && e.TaskId == child) < parentDone));
    }

    [Fact]
    public async Task Nested_decomposition_to_depth_two_works()
    {
        await using var f = new JobFixture();
        f.Coordinator.AddDecider("split", new Decider(task => task.Id switch
        {
            "p" => [TaskOf("q", "split")],
            "p/q" => [TaskOf("leaf", "work")],
            _ => [],
        }));
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("p", "split")]) { Id = "j", MaxDecompositionDepth = 2 });

        var result = await f.Coordinator.WaitForJobAsync(id);

        Assert.Equal(JobLifecycle.State.Succeeded, result.State);
        Assert.Equal(["p", "p/q", "p/q/leaf"], result.Results.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Exceeding_the_depth_limit_fails_the_job_naming_the_parent_the_depth_and_the_limit()
    {
        await using var f = new JobFixture();
        f.Coordinator.AddDecider("split", new Decider(_ => [TaskOf("again", "split")]));
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("p", "split")]) { Id = "j", MaxDecompositionDepth = 1 });

        var result = await f.Coordinator.WaitForJobAsync(id);

        Assert.Equal(JobLifecycle.State.Failed, result.State);
        Assert.Contains("Task 'p' is dead: Its child task 'p/again' is dead: Its decider produced 1 child task(s) at depth 2, beyond the job's MaxDecompositionDepth of 1.", result.Reason);
        Assert.Equal(["p", "p/again"], result.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_dead_child_fails_the_job_and_blocks_the_parents_dependents()
    {
        await using var f = new JobFixture();
        f.Coordinator.AddDecider("split", new Decider(task => task.Id == "p" ? [TaskOf("ok", "work"), TaskOf("bad", Fail)] : []));
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("p", "split"), TaskOf("after", "work", "p")]) { Id = "j" });

        var result = await f.Coordinator.WaitForJobAsync(id);
        var status = await f.Coordinator.GetStatusAsync(id);

        Assert.Equal(JobLifecycle.State.Failed, result.State);
        Assert.StartsWith("Task 'p' is dead: Its child task 'p/bad' is dead: InvalidOperationException: boom in bad.", result.Reason);
        Assert.Equal(JobTaskState.Dead, status.Tasks.Single(t => t.TaskId == "p/bad").State);
        Assert.Equal(JobTaskState.Blocked, status.Tasks.Single(t => t.TaskId == "after").State);
        Assert.DoesNotContain("start:after", f.Log);
    }

    [Fact]
    public async Task A_bad_child_set_fails_the_job_naming_the_parent_and_the_problems()
    {
        await using var f = new JobFixture();
        f.Coordinator.AddDecider("split", new Decider(_ => [TaskOf("c", "work", "missing")]));
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("p", "split")]) { Id = "j" });

        var result = await f.Coordinator.WaitForJobAsync(id);

        Assert.Equal(JobLifecycle.State.Failed, result.State);
        Assert.StartsWith("Task 'p' is dead: Its decider produced an invalid set of children:", result.Reason);
        Assert.Contains("missing", result.Reason);
    }

    [Fact]
    public async Task A_decider_returning_nothing_behaves_like_a_plain_task()
    {
        await using var f = new JobFixture();
        f.Coordinator.AddDecider("split", new Decider(_ => []));
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("p", "split"), TaskOf("after", "work", "p")]) { Id = "j" });

        var result = await f.Coordinator.WaitForJobAsync(id);

        Assert.Equal(JobLifecycle.State.Succeeded, result.State);
        Assert.Equal(["after", "p"], result.Results.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(await Events(f, id), e => e.Kind == JobEventKind.TaskDecomposed);
    }

    [Fact]
    public async Task Cancelling_a_job_while_a_parent_waits_for_its_children_cancels_the_parent_and_them()
    {
        await using var f = new JobFixture();
        f.Coordinator.AddDecider("split", new Decider(task => task.Id == "p" ? [TaskOf("c1", Hang), TaskOf("c2", "work", "c1")] : []));
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("p", "split"), TaskOf("after", "work", "p")]) { Id = "j" });
        await f.Started("c1");

        var ack = await f.Coordinator.CancelJobAsync(id);
        var result = await f.Coordinator.WaitForJobAsync(id);

        Assert.Equal(["after", "p", "p/c1", "p/c2"], ack.CancelledTasks.Order(StringComparer.Ordinal));
        Assert.Equal(JobLifecycle.State.Cancelled, result.State);
        Assert.Equal("Cancelled with its job while its children ran.", result.Errors["p"]);
        var status = await f.Coordinator.GetStatusAsync(id);
        Assert.All(status.Tasks, task => Assert.Equal(JobTaskState.Cancelled, task.State));
        Assert.True(f.Engine.Get("j/p/c1").IsTerminal);
    }

    private static async Task<List<JobEvent>> Events(JobFixture f, JobId id)
    {
        var events = new List<JobEvent>();
        await foreach (var entry in f.Coordinator.WatchAsync(id))
        {
            events.Add(entry);
        }

        return events;
    }

    private sealed class Decider(Func<JobTaskSpec, IReadOnlyList<JobTaskSpec>> decide) : IDecider
    {
        public IReadOnlyList<JobTaskSpec> Decide(JobTaskSpec task, object? result) => decide(task);
    }
}
