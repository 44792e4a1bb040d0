using System.Diagnostics;
using System.Text.Json;
using AgentFleet.Agents;
using AgentFleet.Feature;
using Weaver;

namespace AgentFleet.Fleet;

/// <summary>
/// Crashes and pauses agents mid-task, for real, one incident at a time: a pause freezes the agent until the store took
/// its task back and another agent claimed it at a higher epoch, then wakes it, a zombie whose late writes the store
/// rejects; a crash ends the agent for good and starts a replacement. Only subtasks in the middle of their work (a step
/// done, most of a step to go) are hit, each attempt at most once.
/// </summary>
public sealed class ChaosMonkey(IWeaverStore store, Roster roster, FleetOptions options, string jobId, Incidents incidents)
{
    /// <summary>How many agents it crashed.</summary>
    public int Crashed { get; private set; }

    /// <summary>How many agents it paused.</summary>
    public int Paused { get; private set; }

    /// <summary>Makes the incidents, pauses and crashes taking turns, until all are made or the run ends.</summary>
    /// <param name="cancellationToken">The run ended.</param>
    /// <returns>A task that completes when all incidents were made.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // A crash first: it is over at once, so the pause that follows still finds a task in the middle of its work.
        var plan = Enumerable.Range(0, Math.Max(options.Pauses, options.Crashes))
            .SelectMany(i => new[] { i < options.Crashes ? Incident.Crash : (Incident?)null, i < options.Pauses ? Incident.Pause : null })
            .OfType<Incident>()
            .ToArray();
        var firstSeen = new Dictionary<(string Task, long Epoch), long>();
        var hit = new HashSet<(string Task, long Epoch)>();
        // Mid-task: a quarter of a step done, and half a step still to go, so the attempt cannot commit before the incident
        // lands. The window is most of the task, so a loaded machine that polls late still finds one.
        var step = TimeSpan.FromMilliseconds(options.StepMilliseconds);
        foreach (var incident in plan)
        {
            while (true)
            {
                var running = await store.ListTasksAsync(TaskLifecycle.State.Running, cancellationToken);
                var now = Stopwatch.GetTimestamp();
                var candidates = running
                    .Where(task => task.Job?.JobId.Value == jobId && task.Kind == PlanDecider.EditFilesKind && !hit.Contains((task.Id, task.Epoch)) && !IsFailing(task))
                    .ToArray();
                foreach (var task in candidates)
                {
                    firstSeen.TryAdd((task.Id, task.Epoch), now);
                }

                var target = candidates
                    .Select(task => (Task: task, Agent: roster.ByOwner(task.Owner), Running: Stopwatch.GetElapsedTime(firstSeen[(task.Id, task.Epoch)], now)))
                    .FirstOrDefault(c => c.Agent is { Session.Current: AgentSession.State.Working } agent
                        && (incident == Incident.Crash || agent.CanPause)
                        && c.Running >= step * 0.25
                        && c.Running <= step * (StepsOf(c.Task) - 0.5));
                if (target.Agent is { } agent)
                {
                    hit.Add((target.Task.Id, target.Task.Epoch));
                    await (incident == Incident.Pause ? PauseAsync(agent, target.Task, cancellationToken) : CrashAsync(agent, target.Task, cancellationToken));
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }
        }
    }

    private async Task PauseAsync(Agent agent, StoredTask task, CancellationToken cancellationToken)
    {
        agent.Pause();
        agent.Session.Freeze();
        Paused++;
        incidents.Add($"pause: froze {agent.Name} ({agent.Where}) mid-task on '{Roster.Label(task)}', attempt {task.Attempts}, epoch {task.Epoch}: no heartbeats, no writes");

        // Frozen until the store took the task back and another agent claimed it, or it ended; at most a while.
        var deadline = Stopwatch.GetTimestamp() + (long)(options.Leases.StaleAfter.TotalSeconds * 20 * Stopwatch.Frequency);
        StoredTask? now = task;
        while (Stopwatch.GetTimestamp() < deadline && now is { IsTerminal: false } && now.Epoch == task.Epoch)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            now = await store.GetTaskAsync(task.Id, cancellationToken);
        }

        incidents.Add(now is not null && now.Epoch > task.Epoch
            ? $"reclaim: '{Roster.Label(task)}' was taken back from {agent.Name} and claimed by {Where(now)} at epoch {now.Epoch}"
            : $"reclaim: '{Roster.Label(task)}' was not claimed again while {agent.Name} was frozen (it is {now?.State.ToString() ?? "gone"})");
        agent.Resume();
        agent.Session.Thaw();
        incidents.Add($"thaw: {agent.Name} wakes up still holding epoch {task.Epoch}; what it writes now is a zombie's write");
    }

    private async Task CrashAsync(Agent agent, StoredTask task, CancellationToken cancellationToken)
    {
        await agent.CrashAsync();
        agent.Session.Crash();
        Crashed++;
        var replacement = await roster.AddAsync(cancellationToken);
        incidents.Add(
            $"crash: {agent.Name} ({agent.Where}) died mid-task on '{Roster.Label(task)}', attempt {task.Attempts}, epoch {task.Epoch}; its lease will go stale. {replacement.Name} ({replacement.Where}) joins");
    }

    private static double StepsOf(StoredTask task) =>
        task.Input is { } input && JsonSerializer.Deserialize<Subtask>(input, JsonSerializerOptions.Web) is { } subtask ? subtask.Steps : 0;

    // The subtask that fails for good is left alone, so each incident ends in a reclaim at a higher epoch.
    private static bool IsFailing(StoredTask task) => task.Job is { } job && Catalogue.IsFailing(job.TaskId);

    private string Where(StoredTask task) => task.Owner is { } owner ? Workbench.AgentOf(owner) : $"nobody yet ({task.State})";

    private enum Incident
    {
        Pause,
        Crash,
    }
}
