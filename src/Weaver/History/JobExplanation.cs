namespace Weaver;

/// <summary>Why a job is where it is, or ended as it did, as <see cref="IWeaverClient.ExplainAsync"/> tells it.</summary>
/// <param name="JobId">The job.</param>
/// <param name="State">Its lifecycle state.</param>
/// <param name="Saga">Its saga's state, for a job with compensations; otherwise <see langword="null"/>.</param>
/// <param name="Summary">One sentence: how the job stands or ended, and why.</param>
/// <param name="Tasks">Each task, in spec order (children after the job's own tasks), with its attempts and decisions.</param>
/// <param name="Decisions">Every decision about the job and its tasks, oldest first: the engine's, the coordinator's and the handlers'.</param>
/// <param name="Compensations">The saga's compensations, in the order they ran.</param>
/// <param name="Audit">The audit notes, oldest first.</param>
public sealed record JobExplanation(
    JobId JobId,
    JobLifecycle.State State,
    SagaLifecycle.State? Saga,
    string Summary,
    IReadOnlyList<TaskExplanation> Tasks,
    IReadOnlyList<DecisionRecord> Decisions,
    IReadOnlyList<CompensationRecord> Compensations,
    IReadOnlyList<AuditEntry> Audit)
{
    /// <summary>The explanation as text a person reads top to bottom: the summary, the tasks and their attempts, the decisions, the compensations, the notes.</summary>
    public string Text => ExplanationText.Write(this);

    /// <inheritdoc/>
    public override string ToString() => Text;
}
