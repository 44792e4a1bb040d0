namespace Weaver;

/// <summary>
/// Thrown when a worker writes under a lease it no longer holds: the lease went stale, was released, or was
/// reclaimed by another worker with a newer epoch. The write changed nothing.
/// </summary>
public sealed class LeaseLostException : InvalidOperationException
{
    /// <summary>Creates the exception for a write under <paramref name="epoch"/> on <paramref name="key"/>.</summary>
    /// <param name="key">The key the lease was for.</param>
    /// <param name="owner">The worker that wrote.</param>
    /// <param name="epoch">The epoch it wrote with.</param>
    /// <param name="operation">What it tried to do (heartbeat, complete, ...).</param>
    public LeaseLostException(string key, string owner, long epoch, string operation)
        : base($"'{owner}' no longer holds the lease on '{key}' (epoch {epoch}), so its {operation} was rejected and changed nothing.")
    {
        Key = key;
        Owner = owner;
        Epoch = epoch;
        Operation = operation;
    }

    /// <summary>The key the lease was for.</summary>
    public string Key { get; }

    /// <summary>The worker that wrote.</summary>
    public string Owner { get; }

    /// <summary>The (stale) epoch it wrote with.</summary>
    public long Epoch { get; }

    /// <summary>What it tried to do.</summary>
    public string Operation { get; }
}
