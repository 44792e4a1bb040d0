namespace Weaver;

/// <summary>A task to store: what <see cref="IWeaverStore.CreateTaskAsync"/> takes.</summary>
/// <param name="Id">The task's id; unique in the store.</param>
/// <param name="Kind">Its handler's name.</param>
/// <param name="Input">Its input, serialized.</param>
/// <param name="MaxAttempts">How many attempts it gets in all.</param>
public sealed record NewTask(string Id, string Kind, string? Input, int MaxAttempts)
{
    /// <summary>The normalized resource keys it holds while it runs.</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];

    /// <summary>The job and job task it runs, when it belongs to a job.</summary>
    public JobTaskRef? Job { get; init; }
}
