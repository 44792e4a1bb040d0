using Weaver;

namespace AgentFleet.Agents;

/// <summary>
/// An agent in this process: a <see cref="WorkerGroup"/> on the shared store whose clock can be frozen. Frozen, its
/// heartbeats and its handler's steps stop, as in a long GC pause; the store sees its lease go stale and another agent
/// reclaims the task. A crash freezes it for good: it never runs or writes again, as if its process had died.
/// </summary>
public sealed class InProcessAgent(string name, IWeaverStore store, HandlerRegistry handlers, ArtifactStore? artifacts) : Agent(name)
{
    private readonly PausableClock _clock = new();
    private WorkerGroup? _group;

    /// <inheritdoc />
    public override string Where => "in-process";

    /// <inheritdoc />
    public override bool CanPause => true;

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        Workbench.Register(Name, _clock);
        _group = new WorkerGroup(store, handlers, Options(Name, _clock, artifacts));
        _group.Start();
        return Task.CompletedTask;
    }

    /// <summary>The options of one agent's worker group, in this process or in a worker process.</summary>
    /// <param name="name">The agent.</param>
    /// <param name="clock">Its clock.</param>
    /// <param name="artifacts">Where its artifacts' content goes.</param>
    /// <returns>The options.</returns>
    public static WorkerGroupOptions Options(string name, TimeProvider clock, ArtifactStore? artifacts) => new()
    {
        Concurrency = 1,
        Name = name,
        TimeProvider = clock,
        IdleWait = TimeSpan.FromMilliseconds(100),
        Artifacts = artifacts,
    };

    /// <inheritdoc />
    public override void Pause() => _clock.Freeze();

    /// <inheritdoc />
    public override void Resume() => _clock.Thaw();

    /// <inheritdoc />
    public override Task CrashAsync()
    {
        // Never thawed nor stopped: its worker stays where the freeze caught it until the process ends.
        _clock.Freeze();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override async Task RetireAsync()
    {
        if (_group is not null && !_clock.IsFrozen)
        {
            await _group.StopAsync(TimeSpan.FromSeconds(5));
            await _group.DisposeAsync();
        }
    }
}
