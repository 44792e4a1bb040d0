namespace Weaver;

/// <summary>
/// A stored task's input does not deserialize as its handler's input type. No retry can change that, so the worker ends
/// the task as dead with this message, which names the task, and goes on with other tasks.
/// </summary>
public sealed class InvalidTaskInputException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="kind">Its kind.</param>
    /// <param name="inputType">The handler's input type.</param>
    /// <param name="inner">The deserializer's error.</param>
    public InvalidTaskInputException(string taskId, string kind, Type inputType, Exception inner)
        : base($"Task '{taskId}' (kind '{kind}'): its stored input does not deserialize as {inputType.Name}: {inner.Message}", inner)
    {
        TaskId = taskId;
    }

    /// <summary>The task.</summary>
    public string TaskId { get; }
}
