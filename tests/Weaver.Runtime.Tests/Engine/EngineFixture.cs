using Microsoft.Extensions.Time.Testing;

namespace Weaver.Runtime.Tests.Engine;

/// <summary>A handler defined by a function, for tests.</summary>
internal sealed class FuncHandler(Func<int, TaskContext, ValueTask<int>> run) : ITaskHandler<int, int>
{
    public ValueTask<int> HandleAsync(int input, TaskContext context) => run(input, context);
}

/// <summary>An engine on a <see cref="FakeTimeProvider"/> with one handler kind, "work", whose behaviour each test sets.</summary>
internal sealed class EngineFixture
{
    public const string Kind = "work";

    public EngineFixture(Func<int, TaskContext, ValueTask<int>> run, RetryPolicy? retry = null, LeaseOptions? leases = null, ArtifactStore? artifacts = null)
    {
        var registry = new HandlerRegistry();
        registry.Add(HandlerRegistration.Create<FuncHandler, int, int>(Kind, () => new FuncHandler(run)));
        Engine = new TaskEngine(registry, new TaskEngineOptions
        {
            TimeProvider = Time,
            Leases = leases ?? LeaseOptions.Default,
            Retry = retry ?? new RetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.FromSeconds(1), Jitter = 0 },
            JitterSource = static () => 0,
            Artifacts = artifacts,
        });
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    public TaskEngine Engine { get; }

    public static EngineFixture Idle() => new(static (input, _) => ValueTask.FromResult(input));

    public TaskAttempt Start(string id, string owner)
    {
        Assert.True(Engine.TryStartAttempt(id, owner, out var attempt), $"{owner} could not start {id}: {Engine.Get(id)}");
        return attempt;
    }

    /// <summary>Moves the clock past the lease's stale threshold.</summary>
    public void LetLeasesGoStale() => Time.Advance(Engine.Claims.Options.StaleAfter + TimeSpan.FromMilliseconds(1));
}
