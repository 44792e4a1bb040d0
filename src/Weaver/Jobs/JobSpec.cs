namespace Weaver;

/// <summary>A job as submitted: a set of tasks whose dependencies form a directed acyclic graph, and its limits.</summary>
/// <param name="Tasks">The job's tasks; at least one. Their order is the tie-break of <see cref="JobGraph.TopologicalOrder"/>.</param>
/// <remarks>Nothing is checked here: <see cref="JobGraph.Build"/> checks the whole spec and reports every problem at once.</remarks>
public sealed record JobSpec(IReadOnlyList<JobTaskSpec> Tasks)
{
    /// <summary>The job's id; <see langword="null"/> (the default) for a generated one. Not empty or white space when set.</summary>
    public string? Id { get; init; }

    /// <summary>The job's limits. <see cref="JobBudget.Unlimited"/> by default.</summary>
    public JobBudget Budget { get; init; } = JobBudget.Unlimited;

    /// <summary>
    /// How many levels deep the job's tasks may be decomposed into child tasks: the job's own tasks are at depth 0, and a
    /// task at depth <see cref="MaxDecompositionDepth"/> may not be decomposed. 0 or more; 0 means no task may be
    /// decomposed. Default 8.
    /// </summary>
    public int MaxDecompositionDepth { get; init; } = 8;
}
