using static Weaver.Runtime.Tests.Jobs.JobFixture;

namespace Weaver.Runtime.Tests.Jobs;

/// <summary>Each <see cref="IWeaverClient"/> call on unknown ids, running jobs and ended jobs.</summary>
public sealed class CoordinatorClientTests
{
    [Fact]
    public async Task Every_call_on_an_unknown_id_throws_JobNotFoundException_naming_it()
    {
        await using var f = new JobFixture();
        IWeaverClient client = f.Coordinator;
        var id = new JobId("nope");

        var thrown = new List<JobNotFoundException>
        {
            await Assert.ThrowsAsync<JobNotFoundException>(() => client.GetStatusAsync(id)),
            await Assert.ThrowsAsync<JobNotFoundException>(() => client.CancelJobAsync(id)),
            await Assert.ThrowsAsync<JobNotFoundException>(() => client.GetResultAsync(id)),
            await Assert.ThrowsAsync<JobNotFoundException>(() => client.WaitForJobAsync(id)),
            Assert.Throws<JobNotFoundException>(() => client.WatchAsync(id)),
        };

        Assert.All(thrown, error =>
        {
            Assert.Equal(id, error.JobId);
            Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
        });
        Assert.IsAssignableFrom<KeyNotFoundException>(thrown[0]);
        await Assert.ThrowsAsync<JobNotFoundException>(() => client.GetStatusAsync(default));
    }

    [Fact]
    public async Task Submit_uses_the_spec_id_or_generates_one()
    {
        await using var f = new JobFixture();

        var named = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", "work")]) { Id = "nightly" });
        var generated = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", "work")]));

        Assert.Equal("nightly", named.Value);
        Assert.Matches("^[0-9a-f]{32}$", generated.Value);
        Assert.Equal(JobLifecycle.State.Succeeded, (await f.Coordinator.WaitForJobAsync(named)).State);
        Assert.Equal(JobLifecycle.State.Succeeded, (await f.Coordinator.WaitForJobAsync(generated)).State);
        Assert.Equal(TaskLifecycle.State.Succeeded, f.Engine.Get("nightly/a").State);
    }

    [Fact]
    public async Task An_invalid_spec_is_rejected_and_nothing_is_submitted()
    {
        await using var f = new JobFixture(startWorkers: false);

        var error = await Assert.ThrowsAsync<InvalidJobSpecException>(() =>
            f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", "work", "b"), TaskOf("b", "work", "a")]) { Id = "cyclic" }));

        Assert.Contains("dependency cycle: a -> b -> a (each task depends on the next)", error.Problems);
        Assert.Empty(f.Engine.All());
        await Assert.ThrowsAsync<JobNotFoundException>(() => f.Coordinator.GetStatusAsync(new JobId("cyclic")));
    }

    [Fact]
    public async Task A_task_kind_without_a_handler_is_rejected_and_nothing_is_submitted()
    {
        await using var f = new JobFixture(startWorkers: false);

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", "work"), TaskOf("b", "mystery", "a")]) { Id = "j" }));

        Assert.Contains("task 'b' needs kind 'mystery'", error.Message, StringComparison.Ordinal);
        Assert.Contains("registered kinds: fail, hang, split, work", error.Message, StringComparison.Ordinal);
        Assert.Empty(f.Engine.All());
        await Assert.ThrowsAsync<JobNotFoundException>(() => f.Coordinator.GetStatusAsync(new JobId("j")));
    }

    [Fact]
    public async Task A_duplicate_job_id_is_rejected_and_the_first_job_is_untouched()
    {
        await using var f = new JobFixture(startWorkers: false);
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", "work")]) { Id = "j" });

        var error = await Assert.ThrowsAsync<ArgumentException>(() => f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("z", "work")]) { Id = "j" }));

        Assert.Contains("'j' was already submitted", error.Message, StringComparison.Ordinal);
        var status = await f.Coordinator.GetStatusAsync(id);
        Assert.Equal(["a"], status.Tasks.Select(task => task.TaskId));
        Assert.Single(f.Engine.All());
    }

    [Fact]
    public async Task Status_of_a_running_job_reports_each_task_and_the_counts()
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", Hang), TaskOf("b", "work", "a"), TaskOf("c", "work")]) { Id = "j" });
        await f.Started("a");
        await f.Engine.WaitForCompletionAsync("j/c");

        var status = await f.Coordinator.GetStatusAsync(id);

        Assert.Equal(JobLifecycle.State.Running, status.State);
        Assert.False(status.IsTerminal);
        Assert.Null(status.Reason);
        Assert.Equal(
            [("a", JobTaskState.Running, 1), ("b", JobTaskState.Pending, 0), ("c", JobTaskState.Succeeded, 1)],
            status.Tasks.Select(task => (task.TaskId, task.State, task.Attempts)));
        Assert.Equal(1, status.Counts[JobTaskState.Running]);
        Assert.Equal(1, status.Counts[JobTaskState.Pending]);
        Assert.Equal(1, status.Counts[JobTaskState.Succeeded]);
        Assert.Equal(Enum.GetValues<JobTaskState>().Length, status.Counts.Count);
        Assert.Equal(0, status.Counts[JobTaskState.Dead]);
    }

    [Fact]
    public async Task The_result_of_a_job_that_has_not_ended_is_refused_with_its_state_and_a_pointer_to_WaitForJobAsync()
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", Hang)]) { Id = "j" });
        await f.Started("a");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => f.Coordinator.GetResultAsync(id));

        Assert.Equal("Job 'j' has not ended: it is Running. Use WaitForJobAsync to wait for its result.", error.Message);
    }

    [Fact]
    public async Task An_ended_job_reports_its_result_and_status_and_a_cancel_changes_nothing()
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", "work"), TaskOf("b", "work", "a")]) { Id = "j" });

        var waited = await f.Coordinator.WaitForJobAsync(id);
        var result = await f.Coordinator.GetResultAsync(id);
        var ack = await f.Coordinator.CancelJobAsync(id);
        var status = await f.Coordinator.GetStatusAsync(id);

        Assert.Same(waited, result);
        Assert.Equal(JobLifecycle.State.Succeeded, result.State);
        Assert.Null(result.Reason);
        Assert.Equal(new Dictionary<string, object?> { ["a"] = "a done", ["b"] = "b done" }, result.Results);
        Assert.Empty(result.Errors);
        Assert.True(ack.AlreadyEnded);
        Assert.Empty(ack.CancelledTasks);
        Assert.Equal(JobLifecycle.State.Succeeded, ack.State);
        Assert.True(status.IsTerminal);
        Assert.Equal(2, status.Counts[JobTaskState.Succeeded]);
        Assert.Same(result, await f.Coordinator.GetResultAsync(id));
    }

    [Fact]
    public async Task Waiting_can_be_stopped_without_stopping_the_job()
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", Hang)]) { Id = "j" });
        using var stop = new CancellationTokenSource();

        var waiting = f.Coordinator.WaitForJobAsync(id, stop.Token);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(JobLifecycle.State.Running, (await f.Coordinator.GetStatusAsync(id)).State);
    }

    [Fact]
    public async Task Disposing_the_coordinator_fails_waiters_of_jobs_that_have_not_ended()
    {
        await using var f = new JobFixture();
        var id = await f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("a", Hang)]) { Id = "j" });
        var waiting = f.Coordinator.WaitForJobAsync(id);
        await using var events = f.Coordinator.WatchAsync(id).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());

        f.Coordinator.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () =>
        {
            while (await events.MoveNextAsync())
            {
            }
        });
        await Assert.ThrowsAsync<ObjectDisposedException>(() => f.Coordinator.SubmitJobAsync(new JobSpec([TaskOf("b", "work")])));
    }
}
