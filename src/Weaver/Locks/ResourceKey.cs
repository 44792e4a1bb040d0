using System.Diagnostics.CodeAnalysis;

namespace Weaver;

/// <summary>
/// A normalized resource key, so that two spellings of one file are one key. Made only by <see cref="Normalize"/> or
/// <see cref="TryNormalize"/>, which apply these rules:
/// <list type="bullet">
/// <item><description><c>\</c> becomes <c>/</c>; repeated <c>/</c> collapse into one; <c>.</c> segments are dropped;
/// <c>x/..</c> is resolved; a trailing <c>/</c> is dropped (so <c>./a//x/../b.cs</c> and <c>a\b.cs</c> are <c>a/b.cs</c>).</description></item>
/// <item><description>A leading <c>/</c> (an absolute path) is kept: <c>/a</c> and <c>a</c> are different keys, because a
/// relative path's root is not known here.</description></item>
/// <item><description>Rejected: null, empty or white space, a key that normalizes to nothing (<c>.</c>, <c>a/..</c>,
/// <c>/</c>) and one that climbs above its root (<c>../a</c>, <c>a/../../b</c>, <c>/../a</c>).</description></item>
/// <item><description>A key that is not a path (<c>db:orders</c>) has nothing to normalize and passes through unchanged.</description></item>
/// <item><description>With <see cref="ResourceKeyCase.Insensitive"/> the normalized key is upper-cased
/// (<see cref="string.ToUpperInvariant()"/>), so keys compare ordinally under either policy.</description></item>
/// </list>
/// </summary>
public readonly record struct ResourceKey : IComparable<ResourceKey>
{
    private const string Allowed =
        "allowed: a relative path that stays inside its root ('src/a.cs'), an absolute path ('/src/a.cs') or a name ('db:orders')";

    private ResourceKey(string value) => Value = value;

    /// <summary>The normalized key.</summary>
    public string Value { get; }

    /// <summary>Normalizes <paramref name="raw"/> into a key (see <see cref="ResourceKey"/> for the rules).</summary>
    /// <param name="raw">The key as written: a path or a name.</param>
    /// <param name="keyCase">Whether letter case matters.</param>
    /// <returns>The normalized key.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keyCase"/> is not a defined <see cref="ResourceKeyCase"/>.</exception>
    /// <exception cref="ArgumentException">The key is null, empty, normalizes to nothing or climbs above its root; the message says which and what is allowed.</exception>
    public static ResourceKey Normalize(string raw, ResourceKeyCase keyCase = ResourceKeyCase.Sensitive) =>
        TryNormalize(raw, keyCase, out var key, out var error) ? key : throw new ArgumentException(error, nameof(raw));

    /// <summary>Normalizes <paramref name="raw"/> into a key (see <see cref="ResourceKey"/> for the rules), without throwing.</summary>
    /// <param name="raw">The key as written: a path or a name.</param>
    /// <param name="keyCase">Whether letter case matters.</param>
    /// <param name="key">The normalized key, on success.</param>
    /// <param name="error">On failure, what is wrong with <paramref name="raw"/> and what is allowed.</param>
    /// <returns>Whether <paramref name="raw"/> is a valid key.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keyCase"/> is not a defined <see cref="ResourceKeyCase"/>.</exception>
    public static bool TryNormalize(string? raw, ResourceKeyCase keyCase, out ResourceKey key, [NotNullWhen(false)] out string? error)
    {
        key = default;
        if (raw is null)
        {
            error = $"A resource key is null; {Allowed}.";
            return false;
        }

        if (string.IsNullOrWhiteSpace(raw))
        {
            error = $"Resource key '{raw}' is empty or white space; {Allowed}.";
            return false;
        }

        if (keyCase is not (ResourceKeyCase.Sensitive or ResourceKeyCase.Insensitive))
        {
            throw new ArgumentOutOfRangeException(nameof(keyCase), keyCase, "The key case must be Sensitive or Insensitive.");
        }

        var path = raw.Replace('\\', '/');
        var absolute = path.StartsWith('/');
        var segments = new List<string>();
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count == 0)
                {
                    error = $"Resource key '{raw}' climbs above its root (a '..' with no segment before it to go back from); {Allowed}.";
                    return false;
                }

                segments.RemoveAt(segments.Count - 1);
                continue;
            }

            segments.Add(segment);
        }

        if (segments.Count == 0)
        {
            error = $"Resource key '{raw}' normalizes to nothing (only '.', '..' and '/' segments); {Allowed}.";
            return false;
        }

        var value = (absolute ? "/" : "") + string.Join('/', segments);
        key = new ResourceKey(keyCase == ResourceKeyCase.Insensitive ? value.ToUpperInvariant() : value);
        error = null;
        return true;
    }

    /// <summary>Orders keys ordinally by <see cref="Value"/>, the order of a lease's resources.</summary>
    /// <param name="other">The key to compare with.</param>
    /// <returns>Less than zero, zero or more than zero, as for <see cref="string.CompareOrdinal(string, string)"/>.</returns>
    public int CompareTo(ResourceKey other) => string.CompareOrdinal(Value, other.Value);

    /// <summary>The normalized key.</summary>
    /// <returns><see cref="Value"/> (empty for a default instance).</returns>
    public override string ToString() => Value ?? "";
}
