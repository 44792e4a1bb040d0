namespace Weaver;

/// <summary>One thing that happened to a job, as <see cref="IWeaverClient.WatchAsync"/> reports it.</summary>
/// <param name="At">When, on the engine's clock.</param>
/// <param name="JobId">The job.</param>
/// <param name="TaskId">The task it is about; <see langword="null"/> for an event about the job as a whole.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Detail">A readable sentence about it.</param>
public sealed record JobEvent(DateTimeOffset At, JobId JobId, string? TaskId, JobEventKind Kind, string Detail)
{
    /// <summary>The decision behind the event (a block, a budget, a cancel, a decomposition, a compensation, the job's end), if any.</summary>
    public Decision? Decision { get; init; }

    /// <summary>Whether this is a job's last event (it succeeded, failed or was cancelled).</summary>
    public bool IsTerminal => Kind is JobEventKind.JobSucceeded or JobEventKind.JobFailed or JobEventKind.JobCancelled;
}
