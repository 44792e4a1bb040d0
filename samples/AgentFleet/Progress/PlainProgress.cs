using Weaver;

namespace AgentFleet.Progress;

/// <summary>
/// Progress as plain lines, for output that is not a terminal (redirected, CI): each task's change of state, each
/// incident, and the counts of tasks, leases and locks when they change.
/// </summary>
public sealed class PlainProgress(TextWriter output)
{
    private readonly Dictionary<string, (JobTaskState State, int Attempts)> _tasks = new(StringComparer.Ordinal);
    private int _incidents;
    private string? _summary;

    /// <summary>Prints what changed since the last view.</summary>
    /// <param name="view">The fleet now.</param>
    public void Print(FleetView view)
    {
        var at = $"[{view.Elapsed.TotalSeconds,6:0.0}s]";
        foreach (var line in view.Incidents.Skip(_incidents))
        {
            output.WriteLine(line);
        }

        _incidents = view.Incidents.Count;
        foreach (var task in view.Job.Tasks)
        {
            var now = (task.State, task.Attempts);
            if (!_tasks.TryGetValue(task.TaskId, out var before) || before != now)
            {
                var from = _tasks.ContainsKey(task.TaskId) ? $"{before.State.ToString().ToLowerInvariant()} -> " : "";
                output.WriteLine($"{at} task {task.TaskId}: {from}{task.State.ToString().ToLowerInvariant()} (attempts: {task.Attempts})");
                _tasks[task.TaskId] = now;
            }
        }

        var leases = string.Join(", ", view.Leases.Select(t => $"{Agents.Roster.Label(t)}@{t.Owner}#{t.Epoch}"));
        var locks = view.Locks.Sum(l => l.Resources.Count);
        var summary = $"tasks: {view.Counts} | leases: {(leases.Length == 0 ? "none" : leases)} | locks: {locks}";
        if (summary != _summary)
        {
            output.WriteLine($"{at} {summary}");
            _summary = summary;
        }

        output.Flush();
    }
}
