namespace Weaver;

/// <summary>
/// Names the kind of task a <c>partial</c> <see cref="ITaskHandler{TInput, TResult}"/> runs. Weaver's generator adds
/// its registration to <c>WeaverHandlers.RegisterAll</c>.
/// </summary>
/// <param name="name">The task kind, as tasks name it when submitted (for example <c>review-pr</c>).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class TaskHandlerAttribute(string name) : Attribute
{
    /// <summary>The task kind.</summary>
    public string Name { get; } = name;
}
