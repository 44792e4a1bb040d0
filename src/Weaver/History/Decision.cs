namespace Weaver;

/// <summary>
/// Why something changed: the rule that was applied, what it was applied to, and what it changed. The engine records one
/// with each retry, reclaim and death, the coordinator with each block, budget, decomposition, cancel and compensation,
/// and a handler may record its own with <see cref="TaskContext.RecordDecision"/>.
/// </summary>
/// <param name="Policy">The rule that decided, with its settings (a retry policy, the lease rule, a budget, the DAG rule).</param>
/// <param name="Evidence">What the rule was applied to: the facts seen when deciding.</param>
/// <param name="Change">What the decision changed.</param>
public sealed record Decision(string Policy, string Evidence, string Change)
{
    /// <summary>The decision as one readable sentence group.</summary>
    public override string ToString() => $"{Change} Evidence: {Evidence} Policy: {Policy}";
}
