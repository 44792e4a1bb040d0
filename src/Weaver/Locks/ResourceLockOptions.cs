namespace Weaver;

/// <summary>How a <see cref="ResourceLockManager"/> times its leases and compares its keys.</summary>
public sealed record ResourceLockOptions
{
    /// <summary>
    /// Lease timing, the same as for task leases: a lock is stale when <c>now - lastHeartbeat &gt; StaleAfter</c>
    /// (<see cref="LeaseOptions.StaleAfter"/>); at exactly that threshold it is still live. Default <see cref="LeaseOptions.Default"/>.
    /// </summary>
    public LeaseOptions Leases { get; init; } = LeaseOptions.Default;

    /// <summary>Whether keys that differ only in letter case name one resource. Default <see cref="ResourceKeyCase.Sensitive"/>.</summary>
    public ResourceKeyCase KeyCase { get; init; } = ResourceKeyCase.Sensitive;

    /// <summary>Throws an <see cref="ArgumentException"/> that says what is wrong and what is allowed.</summary>
    /// <returns>These options, for chaining.</returns>
    public ResourceLockOptions Validate()
    {
        if (Leases is null)
        {
            throw new ArgumentException("Leases must be set (LeaseOptions.Default when in doubt); it is null.", nameof(Leases));
        }

        Leases.Validate();
        if (KeyCase is not (ResourceKeyCase.Sensitive or ResourceKeyCase.Insensitive))
        {
            throw new ArgumentException($"KeyCase must be Sensitive or Insensitive; it is {(int)KeyCase}.", nameof(KeyCase));
        }

        return this;
    }
}
