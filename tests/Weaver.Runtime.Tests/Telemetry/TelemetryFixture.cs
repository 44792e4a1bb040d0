using Microsoft.Extensions.Time.Testing;
using Weaver.Runtime.Tests.Engine;

namespace Weaver.Runtime.Tests.Telemetry;

/// <summary>
/// An engine on a <see cref="FakeTimeProvider"/> whose one handler has a kind of its own, so that the kind-tagged
/// measurements and the spans of its tasks are this test's alone.
/// </summary>
internal sealed class TelemetryFixture : IDisposable
{
    public TelemetryFixture(Func<int, TaskContext, ValueTask<int>> run, RetryPolicy? retry = null)
    {
        var registry = new HandlerRegistry();
        registry.Add(HandlerRegistration.Create<FuncHandler, int, int>(Kind, () => new FuncHandler(run)));
        Engine = new TaskEngine(registry, new TaskEngineOptions
        {
            TimeProvider = Time,
            Retry = retry ?? new RetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.FromSeconds(1), Jitter = 0 },
            JitterSource = static () => 0,
        });
    }

    public string Kind { get; } = "telemetry-" + Guid.NewGuid().ToString("N");

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    public TaskEngine Engine { get; }

    public static TelemetryFixture Echo() => new(static (input, _) => ValueTask.FromResult(input));

    public TaskAttempt Start(string id, string owner = "w1")
    {
        Assert.True(Engine.TryStartAttempt(id, owner, out var attempt), $"{owner} could not start {id}: {Engine.Get(id)}");
        return attempt;
    }

    public void LetLeasesGoStale() => Time.Advance(Engine.Claims.Options.StaleAfter + TimeSpan.FromMilliseconds(1));

    public void Dispose() => Engine.Dispose();
}
