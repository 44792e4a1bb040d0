using System.Collections.Concurrent;
using System.Diagnostics;
using Weaver.Stores.Tests.Workers;

namespace Weaver.Stores.Tests.Conformance;

/// <summary>
/// A task carries the W3C trace context it was submitted in through the store, so the attempt's span of whichever worker
/// runs it is a child of the submitter's span (ADR 0021): the current span's when the caller gives none, the caller's
/// when it gives one, none outside a span; a trace context that is not W3C is refused.
/// </summary>
public abstract class TraceConformance(StoreProvider provider) : StoreTests(provider)
{
    [StoreFact]
    public async Task A_task_created_inside_a_span_carries_its_trace_context_to_the_claimed_attempt()
    {
        await using var s = await OpenAsync();
        using var submit = new Activity("submit") { TraceStateString = "vendor=blue" }.Start();
        var created = await s.CreateAsync("traced");
        submit.Stop();

        var stored = await s.GetAsync("traced");
        var attempt = await s.ClaimOneAsync();

        Assert.Equal(submit.Id, created.TraceParent);
        Assert.Equal((submit.Id, "vendor=blue"), (stored.TraceParent, stored.TraceState));
        Assert.Equal((submit.Id, "vendor=blue"), (attempt.TraceParent, attempt.TraceState));
        Assert.Contains(await s.Store.ListTasksAsync(), task => task.Id == "traced" && task.TraceParent == submit.Id);
    }

    [StoreFact]
    public async Task A_given_trace_context_wins_over_the_current_span_and_none_outside_a_span_stays_none()
    {
        await using var s = await OpenAsync();
        const string Given = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        using (new Activity("other").Start())
        {
            await s.Store.CreateTaskAsync(new NewTask("given", "echo", "{}", Policies.ThreeTries) { TraceParent = Given, TraceState = "k=v" });
        }

        await s.CreateAsync("untraced");

        Assert.Equal((Given, "k=v"), ((await s.GetAsync("given")).TraceParent, (await s.GetAsync("given")).TraceState));
        Assert.Null((await s.GetAsync("untraced")).TraceParent);
        var attempts = await s.ClaimAsync();
        Assert.Equal(Given, attempts.Single(a => a.TaskId == "given").TraceParent);
        Assert.Null(attempts.Single(a => a.TaskId == "untraced").TraceParent);
    }

    [StoreFact]
    public async Task A_trace_context_that_is_not_w3c_is_refused_with_what_is_allowed()
    {
        await using var s = await OpenAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(async () =>
            await s.Store.CreateTaskAsync(new NewTask("bad", "echo", "{}", Policies.ThreeTries) { TraceParent = "|hierarchical.1." }));

        Assert.Contains("Task 'bad'", error.Message, StringComparison.Ordinal);
        Assert.Contains("is not W3C trace context", error.Message, StringComparison.Ordinal);
        Assert.Null(await s.Store.GetTaskAsync("bad"));
    }

    [StoreFact]
    public async Task A_workers_attempt_span_is_a_child_of_the_span_that_created_the_task()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == WeaverTelemetry.ActivitySourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var setup = StoreSetup.Default();
        await using var store = await Provider.CreateAsync(setup);
        var id = "span-" + Guid.NewGuid().ToString("N");
        using var submit = new Activity("submit").Start();
        await store.CreateTaskAsync(new NewTask(id, StoreHandlers.Kind, new TaskPayloads().Write(new Shout("traced"), typeof(Shout)), Policies.ThreeTries));
        submit.Stop();

        await using (var group = new WorkerGroup(store, new StoreHandlers().Registry(), new WorkerGroupOptions { Name = "traced", TimeProvider = setup.Time }))
        {
            group.Start();
            Assert.Equal(TaskLifecycle.State.Succeeded, (await StorePolling.UntilEndedAsync(store, id)).State);
        }

        var span = Assert.Single(spans, span => Equals(span.GetTagItem(WeaverTelemetry.Tags.TaskId), id));
        Assert.Equal(submit.TraceId, span.TraceId);
        Assert.Equal(submit.SpanId, span.ParentSpanId);
        Assert.Equal(WeaverTelemetry.Outcomes.Succeeded, span.GetTagItem(WeaverTelemetry.Tags.AttemptOutcome));
        Assert.Equal(StoreHandlers.Kind, span.GetTagItem(WeaverTelemetry.Tags.TaskKind));
    }
}
