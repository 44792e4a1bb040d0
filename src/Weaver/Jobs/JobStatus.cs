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
    /// <summary>Whether the job has ended (succeeded, failed or cancelled).</summary>
    public bool IsTerminal => JobLifecycle.IsTerminalState(State);
}
