namespace FileLocks;

/// <summary>One task's hold on one file, from the lock's acquisition to its release.</summary>
/// <param name="Until">When it was released; <see langword="null"/> while it is held.</param>
/// <param name="WentStale">Whether it was released because its holder stopped heartbeating.</param>
public sealed record Holding(string File, string Task, string Owner, long Epoch, DateTimeOffset From, DateTimeOffset? Until, bool WentStale);
