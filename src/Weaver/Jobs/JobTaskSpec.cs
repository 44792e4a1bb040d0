namespace Weaver;

/// <summary>One task of a <see cref="JobSpec"/>: what to run, and what it waits for, may spend and must hold.</summary>
/// <param name="Id">The task's id, unique within its job; not empty or white space.</param>
/// <param name="Kind">The task kind, which names the handler that runs it; not empty or white space.</param>
/// <param name="Input">The input handed to the handler.</param>
/// <remarks>Nothing is checked here: <see cref="JobGraph.Build"/> checks the whole spec and reports every problem at once.</remarks>
public sealed record JobTaskSpec(string Id, string Kind, object? Input)
{
    /// <summary>
    /// The ids of the tasks of the same job that must succeed before this one runs, each listed once. Empty (the
    /// default) for a task that can run at once.
    /// </summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>The task's own limits. <see cref="TaskBudget.Unlimited"/> by default.</summary>
    public TaskBudget Budget { get; init; } = TaskBudget.Unlimited;

    /// <summary>
    /// The resources (file paths or names, see <see cref="ResourceKey"/>) the task holds, all of them, while its handler
    /// runs. Empty by default.
    /// </summary>
    public IReadOnlyList<string> Resources { get; init; } = [];

    /// <summary>How the task is retried after a failure; <see langword="null"/> (the default) for the engine's default policy.</summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary>
    /// How to undo the task once it has succeeded, if a later task fails or the job is cancelled; <see langword="null"/>
    /// (the default) for a task with nothing to undo. A job with a compensation on any task is a saga (see
    /// <see cref="SagaLifecycle"/>).
    /// </summary>
    public CompensationSpec? Compensation { get; init; }

    /// <summary>Every kind the task needs a handler for: its own, and its compensation's.</summary>
    internal IEnumerable<string> Kinds => Compensation is { } compensation ? [Kind, compensation.Kind] : [Kind];
}
