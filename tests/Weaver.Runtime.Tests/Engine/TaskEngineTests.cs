namespace Weaver.Runtime.Tests.Engine;

/// <summary>The engine's writes, driven directly (no workers): each is fenced by the attempt's lease epoch.</summary>
public sealed class TaskEngineTests
{
    [Fact]
    public void Generated_ids_are_32_hex_digits_and_never_repeat_within_or_across_engines()
    {
        var first = new EngineFixture((input, _) => ValueTask.FromResult(input)).Engine;
        var second = new EngineFixture((input, _) => ValueTask.FromResult(input)).Engine;
        var ids = Enumerable.Range(0, 5_000).SelectMany(i => new[] { first.Submit(EngineFixture.Kind, i), second.Submit(EngineFixture.Kind, i) }).ToList();

        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{32}$", id));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(TaskLifecycle.State.Queued, first.Get(ids[0]).State);
    }

    [Fact]
    public async Task Attempt_commits_its_result_once()
    {
        var f = EngineFixture.Idle();
        var id = f.Engine.Submit(EngineFixture.Kind, 7);

        var attempt = f.Start(id, "w1");
        Assert.Equal(1, attempt.Number);
        Assert.Equal(TaskLifecycle.State.Running, f.Engine.Get(id).State);
        Assert.True(f.Engine.TryComplete(attempt, 7));
        Assert.False(f.Engine.TryComplete(attempt, 8));

        Assert.Equal(TaskLifecycle.State.Succeeded, (await f.Engine.WaitForCompletionAsync(id)).State);
        var done = f.Engine.Get(id);
        Assert.Equal(7, done.Result);
        Assert.Single(done.History, e => e.Kind == TaskEventKind.Succeeded);
        Assert.Single(done.History, e => e.Kind == TaskEventKind.WriteRejected);
        Assert.False(f.Engine.Claims.TryGetHolder(id, out _));
    }

    [Fact]
    public void Task_held_by_a_live_lease_cannot_be_started_by_another_worker()
    {
        var f = EngineFixture.Idle();
        var id = f.Engine.Submit(EngineFixture.Kind, 1);
        f.Start(id, "w1");

        Assert.False(f.Engine.TryStartAttempt(id, "w2", out _));
        Assert.Equal(1, f.Engine.Get(id).Attempts);
    }

    [Fact]
    public async Task Zombie_completion_after_a_sweep_is_rejected_recorded_and_changes_nothing()
    {
        var f = EngineFixture.Idle();
        var id = f.Engine.Submit(EngineFixture.Kind, 1);
        var zombie = f.Start(id, "zombie");

        f.LetLeasesGoStale();
        Assert.Equal(1, f.Engine.Sweep());
        Assert.Equal(TaskLifecycle.State.Queued, f.Engine.Get(id).State);

        var rescuer = f.Start(id, "rescuer");
        Assert.True(rescuer.Lease.Epoch > zombie.Lease.Epoch);
        Assert.False(f.Engine.TryComplete(zombie, -1));
        Assert.False(f.Engine.TryFail(zombie, new InvalidOperationException("late")));
        Assert.Equal(TaskLifecycle.State.Running, f.Engine.Get(id).State);
        Assert.True(f.Engine.TryComplete(rescuer, 2));

        var done = await f.Engine.WaitForCompletionAsync(id);
        Assert.Equal(2, done.Result);
        Assert.Equal(2, done.RejectedWrites);
        Assert.Contains(done.History, e => e.Kind == TaskEventKind.Reclaimed && e.Epoch == zombie.Lease.Epoch);
        Assert.All(done.History.Where(e => e.Kind == TaskEventKind.WriteRejected), e => Assert.Equal("zombie", e.Owner));
    }

    [Fact]
    public void Claim_over_a_stale_lease_takes_the_task_back_before_starting_again()
    {
        var f = EngineFixture.Idle();
        var id = f.Engine.Submit(EngineFixture.Kind, 1);
        var zombie = f.Start(id, "zombie");

        f.LetLeasesGoStale();
        var next = f.Start(id, "w2");

        Assert.Equal(2, next.Number);
        Assert.False(f.Engine.TryComplete(zombie, 0));
        var history = f.Engine.Get(id).History;
        Assert.Contains(history, e => e.Kind == TaskEventKind.Reclaimed);
        Assert.Equal(TaskLifecycle.State.Running, f.Engine.Get(id).State);
    }

    [Fact]
    public void Failure_schedules_a_retry_that_starts_only_when_due()
    {
        var f = EngineFixture.Idle();
        var id = f.Engine.Submit(EngineFixture.Kind, 1);
        Assert.True(f.Engine.TryFail(f.Start(id, "w1"), new TimeoutException("slow")));

        var snapshot = f.Engine.Get(id);
        Assert.Equal(TaskLifecycle.State.RetryScheduled, snapshot.State);
        Assert.Equal("TimeoutException: slow", snapshot.Error);
        Assert.False(f.Engine.TryStartAttempt(id, "w1", out _));

        f.Time.Advance(TimeSpan.FromSeconds(1) - TimeSpan.FromMilliseconds(1));
        Assert.False(f.Engine.TryStartAttempt(id, "w1", out _));
        f.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, f.Start(id, "w1").Number);
    }

    [Fact]
    public async Task Task_dies_when_attempts_run_out()
    {
        var f = new EngineFixture(static (i, _) => ValueTask.FromResult(i), new RetryPolicy { MaxAttempts = 2, InitialDelay = TimeSpan.FromSeconds(1), Jitter = 0 });
        var id = f.Engine.Submit(EngineFixture.Kind, 1);

        Assert.True(f.Engine.TryFail(f.Start(id, "w1"), new InvalidOperationException("one")));
        f.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(f.Engine.TryFail(f.Start(id, "w1"), new InvalidOperationException("two")));

        var done = await f.Engine.WaitForCompletionAsync(id);
        Assert.Equal(TaskLifecycle.State.Dead, done.State);
        Assert.Equal(2, done.Attempts);
        Assert.Contains("InvalidOperationException: two", done.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stale_attempt_with_no_attempts_left_makes_the_task_dead()
    {
        var f = new EngineFixture(static (i, _) => ValueTask.FromResult(i), RetryPolicy.None);
        var id = f.Engine.Submit(EngineFixture.Kind, 1);
        f.Start(id, "zombie");

        f.LetLeasesGoStale();
        Assert.Equal(1, f.Engine.Sweep());

        var done = await f.Engine.WaitForCompletionAsync(id);
        Assert.Equal(TaskLifecycle.State.Dead, done.State);
        Assert.Contains("went stale", done.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancel_ends_a_queued_or_running_task_and_cancels_the_running_attempt()
    {
        var f = EngineFixture.Idle();
        var queued = f.Engine.Submit(EngineFixture.Kind, 1);
        var running = f.Engine.Submit(EngineFixture.Kind, 2);
        var attempt = f.Start(running, "w1");

        Assert.True(f.Engine.TryCancel(queued));
        Assert.True(f.Engine.TryCancel(running));
        Assert.False(f.Engine.TryCancel(running));

        Assert.True(attempt.Cancellation.IsCancellationRequested);
        Assert.False(f.Engine.TryComplete(attempt, 2));
        Assert.Equal(TaskLifecycle.State.Cancelled, f.Engine.Get(queued).State);
        Assert.Equal(TaskLifecycle.State.Cancelled, f.Engine.Get(running).State);
        Assert.False(f.Engine.TryStartAttempt(queued, "w2", out _));
    }

    [Fact]
    public void Abandoned_attempt_is_queued_again_for_another_worker()
    {
        var f = EngineFixture.Idle();
        var id = f.Engine.Submit(EngineFixture.Kind, 1);
        var attempt = f.Start(id, "w1");

        Assert.True(f.Engine.TryAbandon(attempt, "shutting down"));

        Assert.Equal(TaskLifecycle.State.Queued, f.Engine.Get(id).State);
        Assert.Equal(2, f.Start(id, "w2").Number);
    }

    [Fact]
    public void Bad_submissions_say_what_is_allowed_and_change_nothing()
    {
        var f = EngineFixture.Idle();
        var id = f.Engine.Submit(EngineFixture.Kind, 1, id: "task-1");

        var unknown = Assert.Throws<ArgumentException>(() => f.Engine.Submit("nope", 1));
        Assert.Contains("'nope'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains(EngineFixture.Kind, unknown.Message, StringComparison.Ordinal);
        Assert.Contains("already submitted", Assert.Throws<ArgumentException>(() => f.Engine.Submit(EngineFixture.Kind, 2, id: id)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => f.Engine.Submit(EngineFixture.Kind, 2, id: " "));
        Assert.Throws<ArgumentException>(() => f.Engine.Submit(EngineFixture.Kind, 2, new RetryPolicy { MaxAttempts = 0 }));
        Assert.Throws<KeyNotFoundException>(() => f.Engine.Get("missing"));

        Assert.Single(f.Engine.All());
        Assert.Equal(1, f.Engine.Queue.ReadyCount);
    }
}
