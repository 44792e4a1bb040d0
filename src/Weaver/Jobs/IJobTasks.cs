namespace Weaver;

/// <summary>
/// Where a <see cref="JobCoordinator"/> runs its jobs' tasks: the in-memory engine (<see cref="EngineJobTasks"/>) or a
/// store shared by other processes (<see cref="StoreJobTasks"/>). The coordinator's rules are the same on both.
/// </summary>
internal interface IJobTasks : IDisposable
{
    TimeProvider TimeProvider { get; }

    RetryPolicy DefaultRetry { get; }

    HandlerRegistry Handlers { get; }

    /// <summary>Raised after each attempt of a task ends, with the task as it is then (budgets are checked on it).</summary>
    event Action<TaskSnapshot>? AttemptEnded;

    /// <summary>An input as this runner keeps it: as given in memory; as JSON for a store, so it survives a restart.</summary>
    /// <exception cref="ArgumentException">The input cannot be written as JSON.</exception>
    object? Keep(string taskId, object? input);

    /// <summary>Hands a task over to run. Call under a job's gate: it does not wait.</summary>
    /// <exception cref="ArgumentException">The task was refused (an id used outside the coordinator, a bad retry policy).</exception>
    void Submit(string id, string kind, object? input, RetryPolicy retry, IReadOnlyList<string> resources, JobTaskRef? job);

    /// <summary>Cancels a task that has not ended; false when it already ended.</summary>
    ValueTask<bool> TryCancelAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Waits for a task to end and returns it, history included.</summary>
    Task<TaskSnapshot> WaitForCompletionAsync(string id, CancellationToken cancellationToken);

    /// <summary>The task as it is now, with its history; null when it does not exist (yet).</summary>
    ValueTask<TaskSnapshot?> GetAsync(string id, CancellationToken cancellationToken = default);
}
