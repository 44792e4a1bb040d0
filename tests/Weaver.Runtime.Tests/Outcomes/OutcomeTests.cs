using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Weaver.Runtime.Tests.Engine;

namespace Weaver.Runtime.Tests.Outcomes;

/// <summary>
/// A handler's <c>[OnOutcome]</c> methods, as generated and run by a <see cref="WorkerGroup"/>: once per ended task,
/// with the task as it ended, whichever way it ended, and without stopping the group when one throws.
/// </summary>
public sealed class OutcomeTests
{
    private static readonly OutcomeJournal Journal = OutcomeProbeHandler.Journal;

    [Fact]
    public async Task A_succeeded_task_runs_its_success_methods_once_in_declaration_order_with_the_task_as_it_ended()
    {
        using var engine = NewEngine();
        var id = engine.Submit(OutcomeProbeHandler.Kind, "ok", id: NewId("succeeded"));
        var group = Start(engine);

        await Journal.WaitForCallsAsync(id, 3);
        await group.StopAsync();

        var calls = Journal.Calls(id);
        Assert.Equal(["HandleAsync", "CountSuccess", "PublishAsync"], calls.Select(c => c.Method));
        Assert.All(calls.Skip(1), c =>
        {
            Assert.Equal(TaskLifecycle.State.Succeeded, c.Task!.State);
            Assert.Equal("ok done", c.Task.Result);
            Assert.Equal(1, c.Task.Attempts);
            Assert.Equal(TaskEventKind.Succeeded, c.Task.History[^1].Kind);
        });
    }

    [Fact]
    public async Task A_task_that_ran_out_of_attempts_runs_its_dead_method_once()
    {
        using var engine = NewEngine();
        var id = engine.Submit(OutcomeProbeHandler.Kind, "fail", id: NewId("dead"));
        var group = Start(engine);

        await Journal.WaitForCallsAsync(id, 2);
        await group.StopAsync();

        var calls = Journal.Calls(id);
        Assert.Equal(["HandleAsync", "CleanUpAsync"], calls.Select(c => c.Method));
        var task = calls[1].Task!;
        Assert.Equal(TaskLifecycle.State.Dead, task.State);
        Assert.Equal(1, task.Attempts);
        Assert.Equal("InvalidOperationException: The probe failed, as asked.", task.Error);
    }

    [Fact]
    public async Task A_task_cancelled_while_queued_runs_its_cancelled_method_once_a_group_starts()
    {
        using var engine = NewEngine();
        var id = engine.Submit(OutcomeProbeHandler.Kind, "ok", id: NewId("cancelled-queued"));
        Assert.True(engine.TryCancel(id));
        var group = Start(engine);

        await Journal.WaitForCallsAsync(id, 1);
        await group.StopAsync();

        var call = Assert.Single(Journal.Calls(id));
        Assert.Equal("CleanUpAsync", call.Method);
        Assert.Equal(TaskLifecycle.State.Cancelled, call.Task!.State);
        Assert.Equal(0, call.Task.Attempts);
    }

    [Fact]
    public async Task A_task_cancelled_while_running_runs_its_cancelled_method_once()
    {
        using var engine = NewEngine();
        var id = engine.Submit(OutcomeProbeHandler.Kind, "block", id: NewId("cancelled-running"));
        var group = Start(engine);
        await Journal.WaitForCallsAsync(id, 1);

        Assert.True(engine.TryCancel(id));
        await Journal.WaitForCallsAsync(id, 2);
        await group.StopAsync();

        var calls = Journal.Calls(id);
        Assert.Equal(["HandleAsync", "CleanUpAsync"], calls.Select(c => c.Method));
        Assert.Equal(TaskLifecycle.State.Cancelled, calls[1].Task!.State);
        Assert.Equal(1, calls[1].Task!.Attempts);
    }

    [Fact]
    public async Task An_outcome_method_that_throws_is_logged_and_later_outcomes_still_run()
    {
        using var engine = NewEngine();
        var loggers = new RecordingLoggers();
        var group = Start(engine, loggers);
        var throwing = engine.Submit(OutcomeProbeHandler.Kind, "ok", id: NewId(OutcomeProbeHandler.ThrowingIdPrefix));
        await engine.WaitForCompletionAsync(throwing);

        // One dispatcher takes ended tasks in order, so once this task's outcomes ran, the throwing one's had.
        var next = engine.Submit(OutcomeProbeHandler.Kind, "ok", id: NewId("after-throwing"));
        await Journal.WaitForCallsAsync(next, 3);
        await group.StopAsync();

        Assert.Equal(["HandleAsync"], Journal.Calls(throwing).Select(c => c.Method)); // PublishAsync, after it, did not run
        var entry = Assert.Single(loggers.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal("Weaver.Handlers." + OutcomeProbeHandler.Kind, entry.Category);
        Assert.Contains(throwing, entry.Message, StringComparison.Ordinal);
        Assert.Equal("The outcome failed, as asked.", entry.Exception?.Message);
    }

    [Fact]
    public async Task A_stopping_group_runs_the_outcomes_of_tasks_that_end_within_its_grace_period()
    {
        using var engine = NewEngine();
        var id = engine.Submit(OutcomeProbeHandler.Kind, "wait", id: NewId("ends-while-stopping"));
        var group = Start(engine);
        await Journal.WaitForCallsAsync(id, 1);

        var stopping = group.StopAsync(TimeSpan.FromSeconds(10));
        Journal.Release(id);
        await stopping;

        Assert.Equal(["HandleAsync", "CountSuccess", "PublishAsync"], Journal.Calls(id).Select(c => c.Method));
    }

    [Fact]
    public async Task A_handler_without_outcome_methods_has_none_to_run()
    {
        var registration = HandlerRegistration.Create<FuncHandler, int, int>("work", () => new FuncHandler(static (input, _) => ValueTask.FromResult(input)));
        var ended = new TaskSnapshot("t", "work", TaskLifecycle.State.Succeeded, 1, 1, null, []);

        Assert.False(registration.HasOutcomes);
        Assert.True(OutcomeProbeHandler.Registration.HasOutcomes);
        await registration.InvokeOutcomeAsync(ended);

        var f = new EngineFixture(static (input, _) => ValueTask.FromResult(input * 2));
        var id = f.Engine.Submit(EngineFixture.Kind, 21);
        await using var group = new WorkerGroup(f.Engine, new WorkerGroupOptions { Concurrency = 1, Name = "g" });
        group.Start();
        Assert.Equal(42, (await f.Engine.WaitForCompletionAsync(id)).Result);
    }

    [Fact]
    public async Task Outcomes_are_only_run_for_ended_tasks_of_the_handlers_own_kind()
    {
        var registration = OutcomeProbeHandler.Registration;

        await Assert.ThrowsAsync<ArgumentException>(
            () => registration.InvokeOutcomeAsync(new TaskSnapshot("t", OutcomeProbeHandler.Kind, TaskLifecycle.State.Running, 1, null, null, [])).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(
            () => registration.InvokeOutcomeAsync(new TaskSnapshot("t", "other", TaskLifecycle.State.Dead, 1, null, null, [])).AsTask());
    }

    private static TaskEngine NewEngine() => new(
        new HandlerRegistry().Add(OutcomeProbeHandler.Registration),
        new TaskEngineOptions
        {
            TimeProvider = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero)),
            Retry = RetryPolicy.None,
            JitterSource = static () => 0,
        });

    private static WorkerGroup Start(TaskEngine engine, ILoggerFactory? loggers = null)
    {
        var group = new WorkerGroup(engine, new WorkerGroupOptions { Concurrency = 1, Name = "g" }, loggers);
        group.Start();
        return group;
    }

    private static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N");
}
