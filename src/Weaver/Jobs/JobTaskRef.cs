namespace Weaver;

/// <summary>
/// Which job, and which task of it, an engine task runs: the key its artifacts are stored and listed under
/// (<see cref="ArtifactStore.List"/>). <see cref="JobCoordinator"/> submits each job task with one; a task submitted
/// to <see cref="TaskEngine.Submit"/> on its own has none, and its artifacts are keyed by <see cref="Standalone"/>.
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="TaskId">The task's id within the job (as in <see cref="JobTaskSpec"/>, not the engine's task id); not empty or white space.</param>
public readonly record struct JobTaskRef(JobId JobId, string TaskId)
{
    /// <summary>The task's id within the job.</summary>
    /// <exception cref="ArgumentException">The id is null, empty or white space.</exception>
    public string TaskId { get; } = !string.IsNullOrWhiteSpace(TaskId)
        ? TaskId
        : throw new ArgumentException("A job task id must not be null, empty or white space.", nameof(TaskId));

    /// <summary>
    /// The key of a task that belongs to no job: its engine task id serves as both the job id and the task id, so its
    /// artifacts are listed with <c>store.List(taskId, taskId)</c>.
    /// </summary>
    /// <param name="engineTaskId">The engine's id of the task.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">The id is null, empty or white space.</exception>
    public static JobTaskRef Standalone(string engineTaskId) => new(new JobId(engineTaskId), engineTaskId);

    /// <summary>The job and task as <c>jobId/taskId</c>, for messages and logs.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{JobId}/{TaskId}";
}
