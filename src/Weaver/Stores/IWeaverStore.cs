namespace Weaver;

/// <summary>
/// The one seam between the engine and storage (ADR 0019). Every mutation is a conditional write on a lease epoch or
/// a revision: a write that lost its race changes nothing, returns <see langword="false"/>, and, for a worker's write,
/// is recorded in the task's history as rejected.
/// </summary>
/// <remarks>This is the task part of the contract; resource locks, jobs and artifact metadata follow (issue 7).</remarks>
public interface IWeaverStore : IAsyncDisposable
{
    /// <summary>The store's clock, which judges lease expiry (the database's <c>now()</c> for a shared store).</summary>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The current UTC time.</returns>
    ValueTask<DateTimeOffset> NowAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores a new, queued task.</summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">Stops the call; the task is then either stored whole or not at all.</param>
    /// <returns>The stored task.</returns>
    /// <exception cref="DuplicateTaskException">A task with that id exists; it is left as it was.</exception>
    ValueTask<StoredTask> CreateTaskAsync(NewTask task, CancellationToken cancellationToken = default);

    /// <summary>The task as stored now; <see langword="null"/> when there is none with that id.</summary>
    /// <param name="id">The task's id.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The task, with its history.</returns>
    ValueTask<StoredTask?> GetTaskAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically claims up to <paramref name="max"/> runnable tasks for <paramref name="owner"/>: queued ones, and retries
    /// whose due time passed, oldest first. Each gets a new lease whose epoch is greater than every earlier one of that
    /// task, and an attempt starts.
    /// </summary>
    /// <param name="owner">The worker.</param>
    /// <param name="max">At most this many; 1 or more.</param>
    /// <param name="leases">The lease timing.</param>
    /// <param name="cancellationToken">Stops the call; no task is claimed then.</param>
    /// <returns>The started attempts; empty when nothing is runnable.</returns>
    ValueTask<IReadOnlyList<StoredAttempt>> ClaimAsync(string owner, int max, LeaseOptions leases, CancellationToken cancellationToken = default);

    /// <summary>Renews the attempt's lease, if it is still the task's current, live lease.</summary>
    /// <param name="attempt">The attempt.</param>
    /// <param name="leases">The lease timing.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The renewed attempt; <see langword="null"/> when the lease was lost (the heartbeat is recorded as rejected).</returns>
    ValueTask<StoredAttempt?> RenewAsync(StoredAttempt attempt, LeaseOptions leases, CancellationToken cancellationToken = default);

    /// <summary>Commits the attempt's result, if its lease is still the task's current, live lease.</summary>
    /// <param name="attempt">The attempt.</param>
    /// <param name="result">The result, serialized.</param>
    /// <param name="cost">What the attempt cost.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns><see langword="false"/> when the lease was lost: the commit is recorded as rejected and changes nothing else.</returns>
    ValueTask<bool> CompleteAsync(StoredAttempt attempt, string? result, decimal cost, CancellationToken cancellationToken = default);

    /// <summary>Records the attempt's failure: a retry at <paramref name="retryAt"/>, or the task's death when it is null.</summary>
    /// <param name="attempt">The attempt.</param>
    /// <param name="error">Why it failed.</param>
    /// <param name="retryAt">When the next attempt may start; <see langword="null"/> when no attempts are left.</param>
    /// <param name="cost">What the attempt cost.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns><see langword="false"/> when the lease was lost: the failure is recorded as rejected and changes nothing else.</returns>
    ValueTask<bool> FailAsync(StoredAttempt attempt, string error, DateTimeOffset? retryAt, decimal cost, CancellationToken cancellationToken = default);

    /// <summary>Cancels a task that has not ended.</summary>
    /// <param name="id">The task's id.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns><see langword="false"/> when the task had already ended or does not exist.</returns>
    ValueTask<bool> CancelAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes back every running task whose lease is stale by the store's clock: queued again, or dead when it has no
    /// attempts left. The stale workers' later writes are rejected.
    /// </summary>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>How many tasks were taken back.</returns>
    ValueTask<int> SweepAsync(CancellationToken cancellationToken = default);
}
