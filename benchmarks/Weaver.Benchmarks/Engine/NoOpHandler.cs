namespace Weaver.Benchmarks.Engine;

/// <summary>The handler every engine benchmark runs: it returns its input at once.</summary>
[TaskHandler(NoOpHandler.Kind)]
public sealed partial class NoOpHandler : ITaskHandler<int, int>
{
    /// <summary>The task kind.</summary>
    public const string Kind = "no-op";

    /// <inheritdoc/>
    public ValueTask<int> HandleAsync(int input, TaskContext context) => ValueTask.FromResult(input);
}
