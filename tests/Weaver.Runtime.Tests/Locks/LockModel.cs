using static Weaver.Runtime.Tests.Locks.LockKit;

namespace Weaver.Runtime.Tests.Locks;

/// <summary>
/// The specification of <see cref="ResourceLockManager"/> as a plain dictionary from key to holder with its deadline,
/// in ticks since <see cref="LockKit.Start"/>, with <see cref="LockKit.Short"/> timing. Keys are already canonical.
/// Each operation returns its result in the same words as <see cref="Describe(ResourceLockManager)"/> and the tests'
/// adapters use for the real manager.
/// </summary>
internal sealed class LockModel
{
    private readonly Dictionary<string, Entry> _holders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _latest = new(StringComparer.Ordinal);
    private readonly List<string> _history = [];
    private long _now;

    public static string Owner(string task) => "w" + task[1..];

    public static long Ticks(DateTimeOffset at) => (at - Start).Ticks;

    /// <summary>The manager's live leases and its whole history.</summary>
    public static string Describe(ResourceLockManager locks) =>
        string.Join("; ", locks.Held().Select(l => $"{l.TaskId}/{l.Owner} e{l.Epoch} [{string.Join(",", l.Resources)}] until {Ticks(l.ExpiresAt)}"))
        + " | " + string.Join(", ", locks.History().Select(e => $"{e.Kind} {e.TaskId}/{e.Owner} e{e.Epoch} [{string.Join(",", e.Resources)}] at {Ticks(e.At)}"));

    public static string Granted(string task, ResourceLease lease) =>
        $"acquire {task}: e{lease.Epoch} [{string.Join(",", lease.Resources)}] until {Ticks(lease.ExpiresAt)}";

    public static string Refused(string task, IEnumerable<ResourceConflict> conflicts) =>
        $"acquire {task}: conflict " + string.Join(" ", conflicts.Select(c =>
            $"{c.Resource}:{c.HolderTaskId}/{c.HolderOwner} e{c.HolderEpoch} stale at {Ticks(c.HolderStaleAt)}"));

    public string Describe() =>
        string.Join("; ", _holders.Values.Distinct().Where(Live).OrderBy(e => e.Keys[0], StringComparer.Ordinal)
            .Select(e => $"{e.Task}/{Owner(e.Task)} e{e.Epoch} [{string.Join(",", e.Keys)}] until {e.Deadline}"))
        + " | " + string.Join(", ", _history);

    /// <summary>Acquires <paramref name="keys"/>; the epoch granted (0 on a conflict) and the result.</summary>
    public (long Epoch, string Result) Acquire(string task, IEnumerable<string> keys)
    {
        var sorted = keys.Distinct().Order(StringComparer.Ordinal).ToArray();
        foreach (var key in sorted)
        {
            if (_holders.TryGetValue(key, out var stale) && !Live(stale))
            {
                Remove(stale, "StaleReleased");
            }
        }

        var conflicts = sorted.Where(_holders.ContainsKey).ToList();
        if (conflicts.Count > 0)
        {
            Event("Conflict", task, 0, sorted);
            return (0, $"acquire {task}: conflict " + string.Join(" ", conflicts.Select(k =>
                $"{k}:{_holders[k].Task}/{Owner(_holders[k].Task)} e{_holders[k].Epoch} stale at {_holders[k].Deadline + 1}")));
        }

        var entry = new Entry(task, 1 + sorted.Max(k => _latest.GetValueOrDefault(k)), sorted) { Deadline = _now + Short.StaleAfter.Ticks };
        foreach (var key in sorted)
        {
            _holders[key] = entry;
            _latest[key] = entry.Epoch;
        }

        Event("Acquired", task, entry.Epoch, sorted);
        return (entry.Epoch, $"acquire {task}: e{entry.Epoch} [{string.Join(",", sorted)}] until {entry.Deadline}");
    }

    public string Renew(string task, long epoch, IReadOnlyList<string> keys)
    {
        if (Current(task, epoch, keys) is not { } entry)
        {
            return $"renew {task} e{epoch}: refused";
        }

        entry.Deadline = _now + Short.StaleAfter.Ticks;
        Event("Renewed", task, entry.Epoch, entry.Keys);
        return $"renew {task} e{epoch}: until {entry.Deadline}";
    }

    public string Release(string task, long epoch, IReadOnlyList<string> keys)
    {
        var entry = Current(task, epoch, keys);
        if (entry is not null)
        {
            Remove(entry, "Released");
        }

        return $"release {task} e{epoch}: {entry is not null}";
    }

    public string Sweep()
    {
        var stale = _holders.Values.Distinct().Where(e => !Live(e)).OrderBy(e => e.Keys[0], StringComparer.Ordinal).ToList();
        foreach (var entry in stale)
        {
            Remove(entry, "StaleReleased");
        }

        return $"sweep: {stale.Count}";
    }

    public string Holder(string key) =>
        $"holder {key}: " + (_holders.TryGetValue(key, out var e) && Live(e) ? $"{e.Task} e{e.Epoch}" : "none");

    public void Advance(long ticks) => _now += ticks;

    private bool Live(Entry entry) => _now <= entry.Deadline;

    private Entry? Current(string task, long epoch, IReadOnlyList<string> keys) =>
        keys.Count > 0 && _holders.TryGetValue(keys[0], out var entry) && entry.Epoch == epoch && entry.Task == task
        && entry.Keys.SequenceEqual(keys) && Live(entry)
            ? entry
            : null;

    private void Remove(Entry entry, string kind)
    {
        foreach (var key in entry.Keys)
        {
            _holders.Remove(key);
        }

        Event(kind, entry.Task, entry.Epoch, entry.Keys);
    }

    private void Event(string kind, string task, long epoch, string[] keys) =>
        _history.Add($"{kind} {task}/{Owner(task)} e{epoch} [{string.Join(",", keys)}] at {_now}");

    private sealed class Entry(string task, long epoch, string[] keys)
    {
        public string Task { get; } = task;

        public long Epoch { get; } = epoch;

        public string[] Keys { get; } = keys;

        public long Deadline { get; set; }
    }
}
