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

    /// <summary>
    /// A store-backed group's longest wait for work between claims when the store gives no hint (a SQLite store polls;
    /// PostgreSQL notifies). Default: 1 s. Ignored by an engine-backed group, whose workers wait on the queue.
    /// </summary>
    public TimeSpan IdleWait { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A store-backed group's clock for heartbeats, sweeps and shutdown; the system clock when null. An engine-backed group uses the engine's.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>How a store-backed group reads inputs and writes results (<see cref="TaskPayloads"/>); web defaults when null.</summary>
    public System.Text.Json.JsonSerializerOptions? Json { get; init; }

    /// <summary>
    /// Where a store-backed group's handlers store artifact content (<see cref="TaskContext.Artifacts"/>): an
    /// <see cref="ArtifactStore"/> in a folder every worker of the fleet shares. Each artifact's metadata is recorded in
    /// the store, fenced by the attempt's lease (<see cref="IWeaverStore.AppendArtifactAsync"/>), and listed with
    /// <see cref="IWeaverStore.ListArtifactsAsync"/>. Null (the default): artifacts are off. Ignored by an engine-backed
    /// group, whose engine has its own (<see cref="TaskEngineOptions.Artifacts"/>).
    /// </summary>
    public ArtifactStore? Artifacts { get; init; }

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

        if (IdleWait <= TimeSpan.Zero)
        {
            throw new ArgumentException($"IdleWait must be positive; it is {IdleWait}.", nameof(IdleWait));
        }

        return this;
    }
}
