namespace Weaver;

/// <summary>How a <see cref="WorkerGroup"/> runs.</summary>
public sealed record WorkerGroupOptions
{
    /// <summary>How many attempts run at once. Default: the number of processors.</summary>
    public int Concurrency { get; init; } = Environment.ProcessorCount;

    /// <summary>The group's name; each worker's lease owner is <c>{Name}/{index}</c>. Default: <c>worker-</c> and a random suffix.</summary>
    public string Name { get; init; } = "worker-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>How often stale leases are swept. Default: the engine's heartbeat interval.</summary>
    public TimeSpan? SweepInterval { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> that says what is wrong and what is allowed.</summary>
    /// <returns>These options.</returns>
    public WorkerGroupOptions Validate()
    {
        if (Concurrency < 1)
        {
            throw new ArgumentException($"Concurrency must be at least 1; it is {Concurrency}.", nameof(Concurrency));
        }

        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("Name must not be empty: it names the workers' leases.", nameof(Name));
        }

        if (SweepInterval is { } interval && interval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"SweepInterval must be positive; it is {interval}.", nameof(SweepInterval));
        }

        return this;
    }
}
