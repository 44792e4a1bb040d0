namespace Weaver;

/// <summary>A job as it was at one instant: its state and each of its tasks.</summary>
/// <param name="JobId">The job.</param>
/// <param name="State">Its lifecycle state.</param>
/// <param name="Reason">Why it failed or was cancelled; <see langword="null"/> while it runs and when it succeeded.</param>
/// <param name="Counts">How many of its tasks are in each state; every state is present, most with 0.</param>
/// <param name="Tasks">Each task, in spec order.</param>
public sealed record JobStatus(
    JobId JobId,
    JobLifecycle.State State,
    string? Reason,
    IReadOnlyDictionary<JobTaskState, int> Counts,
    IReadOnlyList<JobTaskStatus> Tasks)
{
    /// <summary>The saga's state, for a job with compensations (<see cref="JobTaskSpec.Compensation"/>); otherwise <see langword="null"/>.</summary>
    public SagaLifecycle.State? Saga { get; init; }

    /// <summary>The saga's compensations, in the order they run (last succeeded step first); empty until it compensates.</summary>
    public IReadOnlyList<CompensationRecord> Compensations { get; init; } = [];

    /// <summary>The notes added with <see cref="IWeaverClient.AnnotateAsync"/>, oldest first.</summary>
    public IReadOnlyList<AuditEntry> Audit { get; init; } = [];

    /// <summary>Whether the job has ended (succeeded, failed or cancelled).</summary>
    public bool IsTerminal => JobLifecycle.IsTerminalState(State);

    /// <summary>
    /// The job's tasks as a Mermaid <c>flowchart</c>: each task with its state and attempts, an arrow from each task it
    /// depends on, and a dotted arrow from the task whose decider added it.
    /// </summary>
    public string ToMermaid() => JobMermaid.Write(this);
}
