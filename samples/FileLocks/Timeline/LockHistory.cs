using Weaver;

namespace FileLocks;

/// <summary>The lock manager's history replayed: who held which file when, and a timeline line for each change.</summary>
public sealed class LockHistory
{
    private LockHistory(IReadOnlyList<Holding> holdings, IReadOnlyList<TimelineEntry> entries)
    {
        Holdings = holdings;
        Entries = entries;
    }

    /// <summary>Every hold on every file, in the order they began.</summary>
    public IReadOnlyList<Holding> Holdings { get; }

    /// <summary>Acquisitions, waits and releases; renewals (heartbeats) are left out.</summary>
    public IReadOnlyList<TimelineEntry> Entries { get; }

    /// <summary>Replays the lock events, telling the releases of a take-back from its tasks' histories.</summary>
    /// <param name="events">The lock manager's history.</param>
    /// <param name="tasks">The engine's tasks.</param>
    public static LockHistory Replay(IEnumerable<ResourceLockEvent> events, IEnumerable<TaskSnapshot> tasks)
    {
        var takenBack = TakenBack(tasks);
        var holdings = new List<Holding>();
        var entries = new List<TimelineEntry>();
        var current = new Dictionary<string, int>(StringComparer.Ordinal); // file -> index of its open holding
        foreach (var e in events)
        {
            var files = string.Join(", ", e.Resources.Select(r => r.Value));
            switch (e.Kind)
            {
                case ResourceLockEventKind.Acquired:
                    foreach (var resource in e.Resources)
                    {
                        current[resource.Value] = holdings.Count;
                        holdings.Add(new Holding(resource.Value, e.TaskId, e.Owner, e.Epoch, e.At, null, null));
                    }

                    entries.Add(new TimelineEntry(e.At, e.TaskId, e.Owner, $"locks {files} (lock epoch {e.Epoch})"));
                    break;
                case ResourceLockEventKind.Released or ResourceLockEventKind.StaleReleased:
                    var end = e.Kind == ResourceLockEventKind.StaleReleased ? HoldingEnd.WentStale
                        : takenBack.Contains((e.TaskId, e.Epoch)) ? HoldingEnd.TakenBack
                        : HoldingEnd.Released;
                    foreach (var resource in e.Resources.Where(r => current.TryGetValue(r.Value, out var open) && holdings[open].Epoch == e.Epoch))
                    {
                        holdings[current[resource.Value]] = holdings[current[resource.Value]] with { Until = e.At, End = end };
                        _ = current.Remove(resource.Value);
                    }

                    entries.Add(new TimelineEntry(e.At, e.TaskId, e.Owner, end switch
                    {
                        HoldingEnd.WentStale => $"LOST its locks on {files}: no heartbeat, so they went stale",
                        HoldingEnd.TakenBack => $"LOST its locks on {files}: no heartbeat, so its task was taken back",
                        _ => $"unlocks {files}",
                    }));
                    break;
                case ResourceLockEventKind.Conflict:
                    var held = e.Resources.Select(r => r.Value).Where(current.ContainsKey)
                        .Select(file => $"{file} (held by {holdings[current[file]].Task} on {holdings[current[file]].Owner})");
                    entries.Add(new TimelineEntry(e.At, e.TaskId, e.Owner, $"waits for {string.Join(", ", held)}"));
                    break;
                default:
                    break; // renewals
            }
        }

        return new LockHistory(holdings, entries);
    }

    /// <summary>
    /// The locks (task, lock epoch) the engine released because it took their task back: in a task's history, the
    /// release it records then comes right before the take-back.
    /// </summary>
    private static HashSet<(string Task, long Epoch)> TakenBack(IEnumerable<TaskSnapshot> tasks) =>
    [
        .. tasks.SelectMany(task => task.History.Zip(task.History.Skip(1))
            .Where(pair => pair.First.Kind == TaskEventKind.ResourcesReleased && pair.Second.Kind is TaskEventKind.Reclaimed or TaskEventKind.Dead)
            .Select(pair => (task.Id, pair.First.Epoch))),
    ];
}
