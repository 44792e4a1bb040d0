namespace Weaver;

/// <summary>A task to store (<see cref="IWeaverStore.CreateTaskAsync"/>).</summary>
/// <param name="Id">Its id; not empty, unique in the store.</param>
/// <param name="Kind">The name of the handler that runs it.</param>
/// <param name="Input">The handler's input, as JSON.</param>
/// <param name="Retry">How many attempts it gets and how long a retry waits.</param>
public sealed record NewTask(string Id, string Kind, string? Input, RetryPolicy Retry)
{
    /// <summary>Resource keys the task must hold while its handler runs (<see cref="IWeaverStore.TryAcquireLocksAsync"/>).</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];

    /// <summary>The job and job task it runs, when it belongs to a job.</summary>
    public JobTaskRef? Job { get; init; }

    /// <summary>Checks what a store needs of a task before it writes anything.</summary>
    /// <returns>This task.</returns>
    /// <exception cref="ArgumentException">An id or kind is empty or white space, or the retry policy is invalid; says what is allowed.</exception>
    public NewTask Validate()
    {
        if (string.IsNullOrWhiteSpace(Id))
        {
            throw new ArgumentException($"A task id must not be empty or white space (got '{Id}').", nameof(Id));
        }

        if (string.IsNullOrWhiteSpace(Kind))
        {
            throw new ArgumentException($"Task '{Id}': its kind must name a handler; it is empty or white space.", nameof(Kind));
        }

        ArgumentNullException.ThrowIfNull(Retry);
        Retry.Validate();
        if (Resources.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"Task '{Id}': a resource key is empty or white space.", nameof(Resources));
        }

        return this;
    }
}
