namespace Weaver;

/// <summary>
/// Decomposes a task of a job into child tasks once it succeeded: a pure function from the task and its handler's result to
/// child task specs. Registered per task kind with <see cref="JobCoordinator.AddDecider"/>.
/// </summary>
public interface IDecider
{
    /// <summary>The child tasks of <paramref name="task"/>; an empty list for none, so the task completes as a plain one.</summary>
    /// <param name="task">The task that succeeded, as its job holds it (a child's id includes its parent's, e.g. <c>parent/child</c>).</param>
    /// <param name="result">The result its handler produced.</param>
    /// <returns>The children, with ids unique among them; a child's <see cref="JobTaskSpec.DependsOn"/> names its siblings.</returns>
    IReadOnlyList<JobTaskSpec> Decide(JobTaskSpec task, object? result);
}
