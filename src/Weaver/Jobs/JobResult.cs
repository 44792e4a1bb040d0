namespace Weaver;

/// <summary>How a job ended, and what its tasks produced.</summary>
/// <param name="JobId">The job.</param>
/// <param name="State">Its terminal state.</param>
/// <param name="Reason">Why it failed or was cancelled; <see langword="null"/> when it succeeded.</param>
/// <param name="Results">The result of each task that succeeded, by task id.</param>
/// <param name="Errors">Why each task that is dead, cancelled or blocked did not succeed, by task id.</param>
public sealed record JobResult(
    JobId JobId,
    JobLifecycle.State State,
    string? Reason,
    IReadOnlyDictionary<string, object?> Results,
    IReadOnlyDictionary<string, string> Errors)
{
    /// <summary>The saga's state, for a job with compensations (<see cref="JobTaskSpec.Compensation"/>); otherwise <see langword="null"/>.</summary>
    public SagaLifecycle.State? Saga { get; init; }

    /// <summary>The saga's compensations, in the order they run (last succeeded step first); empty until it compensates.</summary>
    public IReadOnlyList<CompensationRecord> Compensations { get; init; } = [];
}
