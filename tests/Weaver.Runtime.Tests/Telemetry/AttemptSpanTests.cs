using System.Diagnostics;

namespace Weaver.Runtime.Tests.Telemetry;

/// <summary>
/// Each attempt a worker runs is one span, a child of the span its task was submitted in, tagged with the attempt and
/// how it ended; the handler runs inside it.
/// </summary>
public sealed class AttemptSpanTests
{
    [Fact]
    public async Task The_attempt_span_is_a_child_of_the_span_that_submitted_the_task_and_the_handler_runs_in_it()
    {
        using var capture = new TelemetryCapture();
        Activity? inHandler = null;
        using var f = new TelemetryFixture((input, _) =>
        {
            inHandler = Activity.Current;
            return ValueTask.FromResult(input);
        });
        using var submit = new Activity("submit") { TraceStateString = "vendor=blue" }.Start();
        var id = f.Engine.Submit(f.Kind, 7);
        submit.Stop();

        await using (var group = new WorkerGroup(f.Engine, new WorkerGroupOptions { Concurrency = 1, Name = "g" }))
        {
            group.Start();
            await f.Engine.WaitForCompletionAsync(id);
        }

        var span = Assert.Single(capture.SpansOf(id));
        Assert.Equal(submit.TraceId, span.TraceId);
        Assert.Equal(submit.SpanId, span.ParentSpanId);
        Assert.Equal("vendor=blue", span.TraceStateString);
        Assert.Same(span, inHandler);
        Assert.Equal(ActivityKind.Consumer, span.Kind);
        Assert.Equal(ActivityStatusCode.Ok, span.Status);
        Assert.Equal(f.Kind, span.GetTagItem(WeaverTelemetry.Tags.TaskKind));
        Assert.Equal(1, span.GetTagItem(WeaverTelemetry.Tags.AttemptNumber));
        Assert.Equal(1L, span.GetTagItem(WeaverTelemetry.Tags.LeaseEpoch));
        Assert.Equal("g/0", span.GetTagItem(WeaverTelemetry.Tags.LeaseOwner));
        Assert.Equal(WeaverTelemetry.Outcomes.Succeeded, span.GetTagItem(WeaverTelemetry.Tags.AttemptOutcome));
    }

    [Fact]
    public async Task A_failed_attempt_span_has_an_error_status_with_the_exception()
    {
        using var capture = new TelemetryCapture();
        using var f = new TelemetryFixture(
            static (_, _) => throw new InvalidOperationException("the build broke"),
            new RetryPolicy { MaxAttempts = 1 });
        using var submit = new Activity("submit").Start();
        var id = f.Engine.Submit(f.Kind, 1);
        submit.Stop();

        await using (var group = new WorkerGroup(f.Engine, new WorkerGroupOptions { Concurrency = 1, Name = "g" }))
        {
            group.Start();
            await f.Engine.WaitForCompletionAsync(id);
        }

        var span = Assert.Single(capture.SpansOf(id));
        Assert.Equal(submit.SpanId, span.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("the build broke", span.StatusDescription);
        Assert.Equal(WeaverTelemetry.Outcomes.Failed, span.GetTagItem(WeaverTelemetry.Tags.AttemptOutcome));
        Assert.Equal(typeof(InvalidOperationException).FullName, span.GetTagItem(WeaverTelemetry.Tags.ErrorType));
        Assert.Contains(span.Events, e => e.Name == "exception");
    }

    [Fact]
    public async Task A_task_submitted_outside_a_span_gets_a_trace_of_its_own_not_the_one_the_workers_were_started_in()
    {
        using var capture = new TelemetryCapture();
        using var f = TelemetryFixture.Echo();
        var id = f.Engine.Submit(f.Kind, 1);

        using var host = new Activity("host").Start();
        await using (var group = new WorkerGroup(f.Engine, new WorkerGroupOptions { Concurrency = 1, Name = "g" }))
        {
            group.Start(); // the workers' loops inherit the host's span
            host.Stop();
            await f.Engine.WaitForCompletionAsync(id);
        }

        var span = Assert.Single(capture.SpansOf(id));
        Assert.Null(span.Parent);
        Assert.Equal(default, span.ParentSpanId);
        Assert.NotEqual(host.TraceId, span.TraceId);
    }

    [Fact]
    public async Task Each_attempt_of_a_retried_task_is_a_span_under_the_same_parent()
    {
        using var capture = new TelemetryCapture();
        using var f = new TelemetryFixture((input, context) =>
        {
            if (context.Attempt == 1)
            {
                throw new InvalidOperationException("first try fails");
            }

            return ValueTask.FromResult(input);
        });
        using var submit = new Activity("submit").Start();
        var id = f.Engine.Submit(f.Kind, 1);
        submit.Stop();

        await using (var group = new WorkerGroup(f.Engine, new WorkerGroupOptions { Concurrency = 1, Name = "g" }))
        {
            group.Start();
            await capture.SpanEndedAsync(id, 1); // it ends after the failure is committed
            f.Time.Advance(TimeSpan.FromSeconds(1)); // the retry's delay
            await f.Engine.WaitForCompletionAsync(id);
        }

        var spans = capture.SpansOf(id);
        Assert.Equal([1, 2], spans.Select(span => (int)span.GetTagItem(WeaverTelemetry.Tags.AttemptNumber)!));
        Assert.Equal([WeaverTelemetry.Outcomes.Failed, WeaverTelemetry.Outcomes.Succeeded], spans.Select(span => (string)span.GetTagItem(WeaverTelemetry.Tags.AttemptOutcome)!));
        Assert.All(spans, span => Assert.Equal(submit.SpanId, span.ParentSpanId));
        Assert.Equal([1L, 2L], spans.Select(span => (long)span.GetTagItem(WeaverTelemetry.Tags.LeaseEpoch)!));
    }
}
