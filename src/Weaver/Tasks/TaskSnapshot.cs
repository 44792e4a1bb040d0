namespace Weaver;

/// <summary>A task as it was at one instant.</summary>
/// <param name="Id">The task's id.</param>
/// <param name="Kind">Its handler's name.</param>
/// <param name="State">Its lifecycle state.</param>
/// <param name="Attempts">How many attempts started.</param>
/// <param name="Result">The committed result, once it succeeded.</param>
/// <param name="Error">Why it is dead or why its last attempt failed, if it did.</param>
/// <param name="History">Everything that happened to it, oldest first.</param>
public sealed record TaskSnapshot(
    string Id,
    string Kind,
    TaskLifecycle.State State,
    int Attempts,
    object? Result,
    string? Error,
    IReadOnlyList<TaskEvent> History)
{
    /// <summary>Whether the task has ended (succeeded, dead or cancelled).</summary>
    public bool IsTerminal => TaskLifecycle.IsTerminalState(State);

    /// <summary>How many writes under lost leases were rejected.</summary>
    public int RejectedWrites => History.Count(e => e.Kind == TaskEventKind.WriteRejected);

    /// <summary>
    /// The cost its handlers reported (<see cref="TaskContext.ReportCost"/>), in all, over the attempts whose success or
    /// failure was committed. 0 by default.
    /// </summary>
    public decimal Cost { get; init; }

    /// <summary>
    /// The job and job task it runs, when it belongs to a job (<see cref="TaskEngine.Submit"/>'s <c>job</c>); null for
    /// a standalone task, whose artifacts are keyed by <see cref="JobTaskRef.Standalone"/> of <see cref="Id"/>.
    /// </summary>
    public JobTaskRef? Job { get; init; }
}
