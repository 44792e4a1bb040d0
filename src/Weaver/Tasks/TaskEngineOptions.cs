namespace Weaver;

/// <summary>How the in-process engine runs tasks.</summary>
public sealed record TaskEngineOptions
{
    /// <summary>Lease timing for every attempt. Default <see cref="LeaseOptions.Default"/>.</summary>
    public LeaseOptions Leases { get; init; } = LeaseOptions.Default;

    /// <summary>The retry policy of tasks submitted without one. Default <see cref="RetryPolicy.Default"/>.</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>The clock; <see cref="TimeProvider.System"/> when null.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Where jitter comes from: a function returning a value in [0, 1). <see cref="Random.Shared"/> when null.</summary>
    public Func<double>? JitterSource { get; init; }

    /// <summary>
    /// Whether resource keys that differ only in case are one resource (<see cref="ResourceKeyCase.Insensitive"/>,
    /// as on Windows and macOS file systems) or two.
    /// </summary>
    public ResourceKeyCase ResourceKeyCase { get; init; } = ResourceKeyCase.Sensitive;

    /// <summary>
    /// Where attempts store their artifacts (<see cref="TaskContext.Artifacts"/>: files, text, captured stdout and stderr,
    /// links). Null by default: artifacts are off, and every artifact call of a handler throws an
    /// <see cref="InvalidOperationException"/> that says so. Give the store the engine's clock if its
    /// <see cref="ArtifactRef.CreatedAt"/> should follow it.
    /// </summary>
    public ArtifactStore? Artifacts { get; init; }
}
