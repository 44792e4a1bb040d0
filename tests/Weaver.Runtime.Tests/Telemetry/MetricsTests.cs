using System.Diagnostics;
using Microsoft.Extensions.Logging;
using static Weaver.WeaverTelemetry;

namespace Weaver.Runtime.Tests.Telemetry;

/// <summary>
/// The counters count what the engine decided, by kind; the attempt histogram measures by the engine's clock; the
/// worker logs what happened at the documented levels and event ids.
/// </summary>
public sealed class MetricsTests
{
    [Fact]
    public void Claims_completions_failures_retries_and_deaths_are_counted_by_kind()
    {
        using var capture = new TelemetryCapture();
        using var f = TelemetryFixture.Echo();
        var flaky = f.Engine.Submit(f.Kind, 1);
        var doomed = f.Engine.Submit(f.Kind, 2, retry: new RetryPolicy { MaxAttempts = 1 });

        Assert.True(f.Engine.TryFail(f.Start(flaky), new InvalidOperationException("first try")));
        Assert.True(f.Engine.TryFail(f.Start(doomed), new InvalidOperationException("only try")));
        f.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(f.Engine.TryComplete(f.Start(flaky), 1));

        Assert.Equal(3, capture.Total(Instruments.Claims, f.Kind));
        Assert.Equal(1, capture.Total(Instruments.Completions, f.Kind));
        Assert.Equal(2, capture.Total(Instruments.Failures, f.Kind));
        Assert.Equal(1, capture.Total(Instruments.Retries, f.Kind));
        Assert.Equal(1, capture.Total(Instruments.Dead, f.Kind));
        Assert.Equal(0, capture.Total(Instruments.StaleReclaims, f.Kind));
        Assert.Equal(0, capture.Total(Instruments.RejectedWrites, f.Kind));
    }

    [Fact]
    public void A_stale_lease_taken_back_and_the_zombies_late_writes_are_counted()
    {
        using var capture = new TelemetryCapture();
        using var f = TelemetryFixture.Echo();
        var retried = f.Engine.Submit(f.Kind, 1);
        var last = f.Engine.Submit(f.Kind, 2, retry: new RetryPolicy { MaxAttempts = 1 });
        var zombie = f.Start(retried, "paused");
        f.Start(last, "paused");

        f.LetLeasesGoStale();
        Assert.Equal(2, f.Engine.Sweep());
        Assert.False(f.Engine.TryRecordDecision(zombie, new Decision("policy", "evidence", "change")));
        Assert.False(f.Engine.TryComplete(zombie, 1));

        Assert.Equal(2, capture.Total(Instruments.StaleReclaims, f.Kind));
        Assert.Equal(1, capture.Total(Instruments.Dead, f.Kind)); // the one with no attempts left
        Assert.Equal(2, capture.Total(Instruments.RejectedWrites, f.Kind));
        Assert.Equal(0, capture.Total(Instruments.Completions, f.Kind));
        Assert.Equal(0, capture.Total(Instruments.Failures, f.Kind));
    }

    [Fact]
    public async Task The_attempt_duration_is_measured_by_the_engines_clock_and_tagged_with_the_outcome()
    {
        using var capture = new TelemetryCapture();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var f = new TelemetryFixture(async (input, _) =>
        {
            started.TrySetResult();
            await release.Task;
            return input;
        });
        var id = f.Engine.Submit(f.Kind, 1);

        await using (var group = new WorkerGroup(f.Engine, new WorkerGroupOptions { Concurrency = 1, Name = "g" }))
        {
            group.Start();
            await started.Task;
            f.Time.Advance(TimeSpan.FromSeconds(5)); // well inside the heartbeat interval
            release.SetResult();
            await f.Engine.WaitForCompletionAsync(id);
        }

        var measured = Assert.Single(capture.Of(Instruments.AttemptDuration, f.Kind));
        Assert.Equal(5.0, measured.Value);
        Assert.Equal(WeaverTelemetry.Outcomes.Succeeded, measured.Tag(Tags.AttemptOutcome));
        Assert.DoesNotContain(measured.Tags, tag => tag.Key == Tags.TaskId); // never an id on a metric
    }

    [Fact]
    public async Task A_zombies_rejected_commit_is_a_warning_and_its_span_an_error_while_a_claim_is_debug()
    {
        using var capture = new TelemetryCapture();
        var logs = new EventLog();
        var started = new TaskCompletionSource<TaskContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var f = new TelemetryFixture(async (input, context) =>
        {
            started.TrySetResult(context);
            await release.Task; // a handler that ignores its token: it finishes as a zombie
            return input;
        });
        var id = f.Engine.Submit(f.Kind, 1);

        await using (var group = new WorkerGroup(f.Engine, new WorkerGroupOptions { Concurrency = 1, Name = "g", SweepInterval = TimeSpan.FromDays(1) }, logs))
        {
            group.Start();
            var context = await started.Task;
            Assert.True(f.Engine.Claims.TryRelease(context.Lease)); // another worker takes the task over...
            Assert.True(f.Engine.Claims.TryClaim(id, "intruder", out _));
            f.Time.Advance(f.Engine.Claims.Options.HeartbeatInterval); // ...so the next heartbeat is refused
            release.SetResult();
            await capture.SpanEndedAsync(id, 1);
        }

        Assert.Contains(logs.Entries, e => e is { Id: 4, Level: LogLevel.Debug, Category: "Weaver.Workers" } && e.Message.Contains(id, StringComparison.Ordinal));
        var rejected = Assert.Single(logs.Entries, e => e.Id == 8);
        Assert.Equal(LogLevel.Warning, rejected.Level);
        Assert.Equal("Weaver.Handlers." + f.Kind, rejected.Category);
        Assert.Contains("was rejected", rejected.Message, StringComparison.Ordinal);
        var span = Assert.Single(capture.SpansOf(id));
        Assert.Equal(WeaverTelemetry.Outcomes.Rejected, span.GetTagItem(Tags.AttemptOutcome));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(2, capture.Total(Instruments.RejectedWrites, f.Kind)); // the refused heartbeat and the commit
    }

    /// <summary>Keeps each log entry with its event id.</summary>
    private sealed class EventLog : ILoggerFactory
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<Entry> _entries = new();

        public IReadOnlyList<Entry> Entries => [.. _entries];

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("Entries are kept here.");

        public void Dispose()
        {
        }

        internal sealed record Entry(string Category, LogLevel Level, int Id, string Message);

        private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<Entry> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue(new Entry(category, logLevel, eventId.Id, formatter(state, exception)));
        }
    }
}
