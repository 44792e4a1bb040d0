namespace Weaver.Runtime.Tests.Claims;

/// <summary>
/// The sequential reference the property tests compare <see cref="ClaimTable{TKey}"/> with: per key the holder, the
/// epoch and the deadline (milliseconds since the table's origin, 0 when free), straight from the design's rules.
/// </summary>
internal sealed class LeaseModel(long staleAfterMs)
{
    private readonly SortedDictionary<string, Entry> _keys = new(StringComparer.Ordinal);

    public long Now { get; private set; }

    public long StaleAfterMs { get; } = staleAfterMs;

    public void Advance(long ms) => Now += ms;

    public (bool Granted, Entry Entry) Claim(string key, string owner)
    {
        var entry = Get(key);
        if (IsLive(entry))
        {
            return (false, entry);
        }

        var granted = new Entry(owner, entry.Epoch + 1, Now + StaleAfterMs);
        _keys[key] = granted;
        return (true, granted);
    }

    public (bool Renewed, Entry Entry) Renew(string key, string owner, long epoch)
    {
        if (!IsCurrent(key, owner, epoch))
        {
            return (false, default);
        }

        var renewed = _keys[key] with { Deadline = Now + StaleAfterMs };
        _keys[key] = renewed;
        return (true, renewed);
    }

    public bool Release(string key, string owner, long epoch)
    {
        if (!IsCurrent(key, owner, epoch))
        {
            return false;
        }

        _keys[key] = _keys[key] with { Deadline = 0 };
        return true;
    }

    public (bool Expired, Entry Entry) Expire(string key)
    {
        var entry = Get(key);
        if (entry.Deadline == 0 || IsLive(entry))
        {
            return (false, default);
        }

        _keys[key] = entry with { Deadline = 0 };
        return (true, entry);
    }

    public bool IsCurrent(string key, string owner, long epoch)
    {
        var entry = Get(key);
        return IsLive(entry) && entry.Epoch == epoch && entry.Owner == owner;
    }

    public (bool Held, Entry Entry) Holder(string key)
    {
        var entry = Get(key);
        return IsLive(entry) ? (true, entry) : (false, default);
    }

    public long LatestEpoch(string key) => Get(key).Epoch;

    /// <summary>Everything observable, in the same form as <see cref="Describe(ClaimTable{string}, DateTimeOffset, IEnumerable{string})"/>.</summary>
    public string Describe(IEnumerable<string> keys)
    {
        var lines = keys.Select(key =>
        {
            var (held, entry) = Holder(key);
            return $"{key}: latest e{LatestEpoch(key)}, " + (held ? $"held by {entry.Owner} e{entry.Epoch} until {entry.Deadline}" : "not held");
        }).ToList();
        lines.AddRange(_keys
            .Where(k => k.Value.Deadline != 0 && !IsLive(k.Value))
            .Select(k => $"stale: {k.Key} {k.Value.Owner} e{k.Value.Epoch} until {k.Value.Deadline}"));
        return string.Join("; ", lines);
    }

    /// <summary>The same description, read from a real table.</summary>
    public static string Describe(ClaimTable<string> table, DateTimeOffset origin, IEnumerable<string> keys)
    {
        var lines = keys.Select(key =>
            $"{key}: latest e{table.LatestEpoch(key)}, "
            + (table.TryGetHolder(key, out var holder) ? $"held by {holder.Owner} e{holder.Epoch} until {Ms(holder, origin)}" : "not held")).ToList();
        lines.AddRange(table.StaleLeases()
            .OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => $"stale: {l.Key} {l.Owner} e{l.Epoch} until {Ms(l, origin)}"));
        return string.Join("; ", lines);
    }

    /// <summary>A lease's ExpiresAt as milliseconds since the table's origin, the model's unit.</summary>
    public static long Ms(Lease<string> lease, DateTimeOffset origin) => (long)(lease.ExpiresAt - origin).TotalMilliseconds;

    private Entry Get(string key) => _keys.TryGetValue(key, out var entry) ? entry : new Entry("", 0, 0);

    private bool IsLive(Entry entry) => entry.Deadline != 0 && Now <= entry.Deadline;

    /// <summary>One key's claim: who, under which epoch, live until when (0: free).</summary>
    public readonly record struct Entry(string Owner, long Epoch, long Deadline);
}
