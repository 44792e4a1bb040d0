namespace Weaver;

/// <summary>One decision in a job's history.</summary>
/// <param name="At">When it was made, on the engine's clock.</param>
/// <param name="TaskId">The job's task it concerns; <see langword="null"/> for a decision about the job as a whole.</param>
/// <param name="Attempt">The attempt it concerns, from 1; 0 when it concerns no attempt.</param>
/// <param name="Decision">The policy, the evidence and the change.</param>
public sealed record DecisionRecord(DateTimeOffset At, string? TaskId, int Attempt, Decision Decision);
