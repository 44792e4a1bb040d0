namespace AgentFleet.Agents;

/// <summary>
/// One agent of the fleet: a worker group of one worker, in this process or in a worker process of its own. The chaos
/// monkey pauses and crashes agents for real; <see cref="Session"/> tracks what the driver knows of it.
/// </summary>
public abstract class Agent(string name)
{
    /// <summary>The agent's name: its worker group's, so its lease owner is <c>{Name}/0</c>.</summary>
    public string Name { get; } = name;

    /// <summary>The lease owner of its one worker.</summary>
    public string Owner => $"{Name}/0";

    /// <summary>Its life as the driver sees it.</summary>
    public AgentSession Session { get; } = new();

    /// <summary>Where it runs, for people: "in-process" or its pid.</summary>
    public abstract string Where { get; }

    /// <summary>Whether it can be paused here (a worker process needs POSIX signals).</summary>
    public abstract bool CanPause { get; }

    /// <summary>Starts it; it claims work at once.</summary>
    /// <param name="cancellationToken">Stops waiting for it to be ready.</param>
    /// <returns>A task that completes once it works.</returns>
    public abstract Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Freezes it where it is: no heartbeat, no step of work, no write, until <see cref="Resume"/>.</summary>
    public abstract void Pause();

    /// <summary>Lets a paused agent go on; what it does next it does as a zombie, if its lease was lost meanwhile.</summary>
    public abstract void Resume();

    /// <summary>Ends it at once, with no chance to finish, hand back or clean up.</summary>
    /// <returns>A task that completes once it is gone.</returns>
    public abstract Task CrashAsync();

    /// <summary>Stops it gracefully at the end of the run: a running attempt is handed back.</summary>
    /// <returns>A task that completes once it stopped.</returns>
    public abstract Task RetireAsync();
}
