using AgentFleet.Agents;
using AgentFleet.Fleet;
using Weaver;

namespace AgentFleet.Progress;

/// <summary>The fleet at one instant, as read from the store: the job's tasks, the live leases and locks, the agents, the incidents.</summary>
/// <param name="Elapsed">The time since the run started.</param>
/// <param name="Job">The job's status.</param>
/// <param name="Leases">The job's running tasks, each with its lease.</param>
/// <param name="Locks">The resource locks held now.</param>
/// <param name="Now">The store's clock, to tell when leases expire.</param>
/// <param name="Agents">This run's agents.</param>
/// <param name="Incidents">What happened so far.</param>
public sealed record FleetView(
    TimeSpan Elapsed,
    JobStatus Job,
    IReadOnlyList<StoredTask> Leases,
    IReadOnlyList<ResourceLease> Locks,
    DateTimeOffset Now,
    IReadOnlyList<Agent> Agents,
    IReadOnlyList<string> Incidents)
{
    /// <summary>Reads the fleet from the store.</summary>
    /// <param name="store">The store.</param>
    /// <param name="client">The job's client.</param>
    /// <param name="job">The job.</param>
    /// <param name="roster">The agents.</param>
    /// <param name="incidents">The incidents.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The view.</returns>
    public static async Task<FleetView> ReadAsync(IWeaverStore store, IWeaverClient client, JobId job, Roster roster, Incidents incidents, CancellationToken cancellationToken)
    {
        var status = await client.GetStatusAsync(job, cancellationToken);
        var running = await store.ListTasksAsync(TaskLifecycle.State.Running, cancellationToken);
        var prefix = job.Value + "/";
        var leases = running.Where(task => task.Id.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
        var locks = (await store.ListLocksAsync(cancellationToken)).Where(l => l.TaskId.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
        roster.Observe(running);
        return new FleetView(incidents.Elapsed, status, leases, locks, await store.NowAsync(cancellationToken), roster.Agents, incidents.Lines);
    }

    /// <summary>How many of the job's tasks are in each state, leaving out states no task is in.</summary>
    public string Counts => string.Join(", ", Job.Counts.Where(c => c.Value > 0).Select(c => $"{c.Value} {c.Key.ToString().ToLowerInvariant()}"));
}
