using System.Collections.Concurrent;
using Weaver;

namespace AgentFleet.Agents;

/// <summary>
/// The clock each agent of this process works by. Handlers are created by Weaver's generated registration, one per
/// attempt, so an attempt finds its agent's clock through its lease owner (<c>{agent}/{slot}</c>).
/// </summary>
public static class Workbench
{
    private static readonly ConcurrentDictionary<string, TimeProvider> Clocks = new(StringComparer.Ordinal);

    /// <summary>Gives <paramref name="agent"/>'s attempts <paramref name="clock"/> to work by.</summary>
    /// <param name="agent">The agent's worker group name.</param>
    /// <param name="clock">Its clock.</param>
    public static void Register(string agent, TimeProvider clock) => Clocks[agent] = clock;

    /// <summary>The clock of the agent that runs <paramref name="context"/>'s attempt; the system clock for any other.</summary>
    /// <param name="context">The attempt.</param>
    /// <returns>The clock.</returns>
    public static TimeProvider ClockOf(TaskContext context) =>
        Clocks.TryGetValue(AgentOf(context.Lease.Owner), out var clock) ? clock : TimeProvider.System;

    /// <summary>The agent (worker group name) of a lease owner <c>{agent}/{slot}</c>.</summary>
    /// <param name="owner">The lease owner.</param>
    /// <returns>The agent's name.</returns>
    public static string AgentOf(string owner)
    {
        var slash = owner.LastIndexOf('/');
        return slash > 0 ? owner[..slash] : owner;
    }

    /// <summary>Works one step: waits <paramref name="milliseconds"/> by the agent's clock (frozen with it).</summary>
    /// <param name="context">The attempt.</param>
    /// <param name="milliseconds">How long.</param>
    /// <returns>A task that completes when the step is done.</returns>
    public static Task StepAsync(TaskContext context, int milliseconds) =>
        Task.Delay(TimeSpan.FromMilliseconds(milliseconds), ClockOf(context), context.CancellationToken);
}
