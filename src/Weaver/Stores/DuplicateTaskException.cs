namespace Weaver;

/// <summary>A task was created with an id a stored task already has; the stored task is left as it was.</summary>
public sealed class DuplicateTaskException : Exception
{
    /// <summary>Creates the exception for <paramref name="taskId"/>.</summary>
    /// <param name="taskId">The id already in use.</param>
    public DuplicateTaskException(string taskId)
        : base($"A task with id '{taskId}' already exists; task ids must be unique, and a create never replaces a task.")
    {
        TaskId = taskId;
    }

    /// <summary>The id already in use.</summary>
    public string TaskId { get; }
}
