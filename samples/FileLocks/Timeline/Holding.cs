namespace FileLocks;

/// <summary>One task's hold on one file, from the lock's acquisition to its release.</summary>
/// <param name="Until">When it was released; <see langword="null"/> while it is held.</param>
/// <param name="End">How it was released; <see langword="null"/> while it is held.</param>
public sealed record Holding(string File, string Task, string Owner, long Epoch, DateTimeOffset From, DateTimeOffset? Until, HoldingEnd? End);

/// <summary>How a hold on a file ended.</summary>
public enum HoldingEnd
{
    /// <summary>Its task's attempt ended and released it.</summary>
    Released,

    /// <summary>Its holder stopped heartbeating: the lock manager released it as stale.</summary>
    WentStale,

    /// <summary>Its holder stopped heartbeating: the engine took its task back, which released it.</summary>
    TakenBack,
}
