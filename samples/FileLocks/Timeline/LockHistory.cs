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

    public static LockHistory Replay(IEnumerable<ResourceLockEvent> events)
    {
        var holdings = new List<Holding>();
        var entries = new List<TimelineEntry>();
        var current = new Dictionary<string, int>(StringComparer.Ordinal); // file -> index of its open holding
        foreach (var e in events)
        {
            var files = e.Resources.Select(r => r.Value).ToArray();
            switch (e.Kind)
            {
                case ResourceLockEventKind.Acquired:
                    foreach (var file in files)
                    {
                        current[file] = holdings.Count;
                        holdings.Add(new Holding(file, e.TaskId, e.Owner, e.Epoch, e.At, null, false));
                    }

                    entries.Add(new TimelineEntry(e.At, e.TaskId, e.Owner, $"locks {string.Join(", ", files)} (lock epoch {e.Epoch})"));
                    break;
                case ResourceLockEventKind.Released or ResourceLockEventKind.StaleReleased:
                    var stale = e.Kind == ResourceLockEventKind.StaleReleased;
                    foreach (var file in files.Where(file => current.TryGetValue(file, out var open) && holdings[open].Epoch == e.Epoch))
                    {
                        holdings[current[file]] = holdings[current[file]] with { Until = e.At, WentStale = stale };
                        _ = current.Remove(file);
                    }

                    entries.Add(new TimelineEntry(e.At, e.TaskId, e.Owner, stale
                        ? $"STALE: no heartbeat, so its locks on {string.Join(", ", files)} are released"
                        : $"unlocks {string.Join(", ", files)}"));
                    break;
                case ResourceLockEventKind.Conflict:
                    var held = files.Where(current.ContainsKey).Select(file => $"{file} (held by {holdings[current[file]].Task} on {holdings[current[file]].Owner})");
                    entries.Add(new TimelineEntry(e.At, e.TaskId, e.Owner, $"waits for {string.Join(", ", held)}"));
                    break;
                default:
                    break; // renewals
            }
        }

        return new LockHistory(holdings, entries);
    }
}
