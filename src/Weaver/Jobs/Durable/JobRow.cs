namespace Weaver;

/// <summary>What a store-backed coordinator knows of its own job's row: the revision its next write must find.</summary>
internal sealed class JobRow(long revision)
{
    private long _changes;

    /// <summary>One save at a time, so revisions follow each other.</summary>
    public SemaphoreSlim SaveGate { get; } = new(1, 1);

    public long Revision { get; set; } = revision;

    /// <summary>The number of the last change that a save has written.</summary>
    public long Saved { get; set; }

    /// <summary>Set when another coordinator took the job over: this one no longer writes it.</summary>
    public bool Lost { get; set; }

    /// <summary>Counts a change to save, returning its number.</summary>
    public long Changed() => Interlocked.Increment(ref _changes);

    public long Changes => Interlocked.Read(ref _changes);
}
