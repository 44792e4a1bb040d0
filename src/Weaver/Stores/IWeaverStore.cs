namespace Weaver;

/// <summary>
/// The one seam between the engine and storage (ADR 0019): tasks with their leases, epochs and history; resource locks;
/// jobs and sagas; artifact metadata. Every mutation is a conditional write, a compare-and-set on a lease epoch (tasks,
/// locks, artifacts) or on a revision (jobs): a write that lost its race changes nothing and returns
/// <see langword="false"/> or <see langword="null"/>, and a worker's rejected write is recorded in the task's history as
/// <see cref="TaskEventKind.WriteRejected"/>.
/// </summary>
/// <remarks>
/// <para>Lease expiry is judged by the store's clock (<see cref="NowAsync"/>): a lease is live while
/// <c>now &lt;= ExpiresAt</c>, and each claim or renewal sets <c>ExpiresAt = now + Leases.StaleAfter</c>. Every
/// timestamp is UTC.</para>
/// <para>Payloads (inputs, results, job documents) are JSON text; the store keeps them as given. Text reaches SQL only as
/// parameters.</para>
/// <para>Implementations: <see cref="TaskEngine"/> (in memory), <c>Weaver.Sqlite</c>, <c>Weaver.PostgreSql</c>; one
/// conformance suite holds them to the same behaviour.</para>
/// </remarks>
public interface IWeaverStore : IAsyncDisposable
{
    /// <summary>The lease timing of every claim and renewal in this store.</summary>
    LeaseOptions Leases { get; }

    /// <summary>The store's clock, which judges lease expiry (the database's <c>now()</c> for a shared store).</summary>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The current UTC time.</returns>
    ValueTask<DateTimeOffset> NowAsync(CancellationToken cancellationToken = default);

    // ---- Tasks, leases and epochs ----

    /// <summary>Stores a new, queued task, with its <see cref="TaskEventKind.Submitted"/> event.</summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">Stops the call; the task is then either stored whole or not at all.</param>
    /// <returns>The stored task.</returns>
    /// <exception cref="DuplicateTaskException">A task with that id exists; it is left as it was.</exception>
    ValueTask<StoredTask> CreateTaskAsync(NewTask task, CancellationToken cancellationToken = default);

    /// <summary>The task as stored now; <see langword="null"/> when there is none with that id.</summary>
    /// <param name="id">The task's id.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The task.</returns>
    /// <exception cref="StoreRowException">The task's row cannot be read (an unknown state, say); the message names it.</exception>
    ValueTask<StoredTask?> GetTaskAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The tasks, by id, optionally only those in one state; rows that cannot be read are left out.</summary>
    /// <param name="state">Only tasks in this state; all when null.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The tasks, ordered by id (ordinal).</returns>
    ValueTask<IReadOnlyList<StoredTask>> ListTasksAsync(TaskLifecycle.State? state = null, CancellationToken cancellationToken = default);

    /// <summary>The task's history, oldest first: submission, attempts, commits, rejected writes and decisions.</summary>
    /// <param name="id">The task's id.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The events; empty when there is no such task.</returns>
    ValueTask<IReadOnlyList<TaskEvent>> GetHistoryAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically claims up to <paramref name="max"/> runnable tasks of the given kinds for <paramref name="owner"/>: queued
    /// ones and retries whose due time passed, the earliest submitted first. Each gets a lease whose epoch is greater than
    /// every earlier epoch of that task, its attempt count goes up by one, and its attempt starts. No task is claimed by
    /// two callers.
    /// </summary>
    /// <param name="owner">The worker; not empty.</param>
    /// <param name="max">At most this many; 1 or more.</param>
    /// <param name="kinds">Only tasks of these kinds (the ones the worker can run); at least one.</param>
    /// <param name="cancellationToken">Stops the call; no task is claimed then.</param>
    /// <returns>The started attempts; empty when nothing is runnable.</returns>
    ValueTask<IReadOnlyList<StoredAttempt>> ClaimAsync(string owner, int max, IReadOnlyCollection<string> kinds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits until a task may have become runnable (submitted, handed back, taken back, or a retry came due), or until
    /// <paramref name="maxWait"/> passed, whichever comes first. A wake-up is a hint: the caller claims, and may get nothing.
    /// </summary>
    /// <param name="maxWait">The longest wait.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>A task that completes on a hint or at the timeout.</returns>
    ValueTask WaitForWorkAsync(TimeSpan maxWait, CancellationToken cancellationToken = default);

    /// <summary>Renews the attempt's lease, if it is still the task's current, live lease.</summary>
    /// <param name="attempt">The attempt as last claimed or renewed.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The attempt with its new expiry; <see langword="null"/> when the lease was lost (recorded as a rejected heartbeat).</returns>
    ValueTask<StoredAttempt?> RenewAsync(StoredAttempt attempt, CancellationToken cancellationToken = default);

    /// <summary>Commits the attempt's result, if its lease is still the task's current, live lease: the task succeeds.</summary>
    /// <param name="attempt">The attempt.</param>
    /// <param name="result">The result, as JSON.</param>
    /// <param name="cost">What the attempt cost; not negative.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns><see langword="false"/> when the lease was lost: the commit is recorded as rejected and changes nothing else.</returns>
    ValueTask<bool> CompleteAsync(StoredAttempt attempt, string? result, decimal cost, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the attempt's failure, if its lease is still the task's current, live lease: a retry scheduled by the task's
    /// <see cref="RetryPolicy"/>, or the task's death when no attempts are left or <paramref name="permanent"/>.
    /// </summary>
    /// <param name="attempt">The attempt.</param>
    /// <param name="error">Why it failed.</param>
    /// <param name="cost">What the attempt cost; not negative.</param>
    /// <param name="permanent">No retry could succeed (its input cannot be read, say): the task dies now.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns><see langword="false"/> when the lease was lost: the failure is recorded as rejected and changes nothing else.</returns>
    ValueTask<bool> FailAsync(StoredAttempt attempt, string error, decimal cost, bool permanent = false, CancellationToken cancellationToken = default);

    /// <summary>Hands a running attempt back (its worker is shutting down): the lease is released and the task queued again.</summary>
    /// <param name="attempt">The attempt.</param>
    /// <param name="reason">Why, for the history.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns><see langword="false"/> when the lease was lost (recorded as a rejected hand-back).</returns>
    ValueTask<bool> AbandonAsync(StoredAttempt attempt, string reason, CancellationToken cancellationToken = default);

    /// <summary>Adds a handler's decision to the task's history, if the attempt still holds the task's current, live lease.</summary>
    /// <param name="attempt">The attempt.</param>
    /// <param name="decision">The decision.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns><see langword="false"/> when the lease was lost (recorded as a rejected decision).</returns>
    ValueTask<bool> RecordDecisionAsync(StoredAttempt attempt, Decision decision, CancellationToken cancellationToken = default);

    /// <summary>Cancels a task that has not ended; a running attempt's later writes are rejected.</summary>
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

    // ---- Resource locks (ADR 0012) ----

    /// <summary>
    /// Acquires every resource for <paramref name="taskId"/>, or none, in one atomic step. Stale holders are released
    /// first. The lease's epoch is greater than every earlier epoch of each of its resources.
    /// </summary>
    /// <param name="taskId">The task that needs the resources; not empty.</param>
    /// <param name="owner">The worker that runs it; not empty.</param>
    /// <param name="resources">Resource keys, normalized by <see cref="ResourceKey"/>; at least one. Duplicates count once.</param>
    /// <param name="cancellationToken">Stops the call; nothing is acquired then.</param>
    /// <returns>The lease, or each held resource with its holder.</returns>
    ValueTask<ResourceLockResult> TryAcquireLocksAsync(string taskId, string owner, IReadOnlyCollection<string> resources, CancellationToken cancellationToken = default);

    /// <summary>Renews a live lock lease: only the current holder with the current epoch, before it went stale.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The renewed lease; <see langword="null"/>, changing nothing, when it is not the current live lease.</returns>
    ValueTask<ResourceLease?> RenewLocksAsync(ResourceLease lease, CancellationToken cancellationToken = default);

    /// <summary>Releases a live lock lease, so its resources can be acquired again (with a higher epoch).</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns><see langword="false"/>, changing nothing, when it is not the current live lease.</returns>
    ValueTask<bool> ReleaseLocksAsync(ResourceLease lease, CancellationToken cancellationToken = default);

    /// <summary>The live lock leases, ordered by task id.</summary>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>One lease per holder.</returns>
    ValueTask<IReadOnlyList<ResourceLease>> ListLocksAsync(CancellationToken cancellationToken = default);

    // ---- Jobs and sagas ----

    /// <summary>Stores a new job (a saga is a job whose document says so) at revision 1.</summary>
    /// <param name="job">The job.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The stored job.</returns>
    /// <exception cref="DuplicateJobException">A job with that id exists; it is left as it was.</exception>
    ValueTask<StoredJob> CreateJobAsync(NewJob job, CancellationToken cancellationToken = default);

    /// <summary>The job as stored now; <see langword="null"/> when there is none with that id.</summary>
    /// <param name="id">The job's id.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The job.</returns>
    ValueTask<StoredJob?> GetJobAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the job's state and document if its revision is still <paramref name="expectedRevision"/>; the revision
    /// then goes up by one. A caller that lost the race reads the job again and decides again.
    /// </summary>
    /// <param name="id">The job's id.</param>
    /// <param name="expectedRevision">The revision the caller read.</param>
    /// <param name="state">The new state.</param>
    /// <param name="document">The new document, as JSON.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The updated job; <see langword="null"/>, changing nothing, when the revision moved on or there is no such job.</returns>
    ValueTask<StoredJob?> TryUpdateJobAsync(string id, long expectedRevision, string state, string document, CancellationToken cancellationToken = default);

    /// <summary>The jobs, ordered by id (ordinal).</summary>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The jobs.</returns>
    ValueTask<IReadOnlyList<StoredJob>> ListJobsAsync(CancellationToken cancellationToken = default);

    // ---- Artifact metadata (ADR 0016) ----

    /// <summary>
    /// Records an artifact's metadata, if the attempt still holds the task's current, live lease; the content itself is
    /// stored elsewhere, addressed by its hash.
    /// </summary>
    /// <param name="attempt">The attempt that wrote it.</param>
    /// <param name="artifact">Its metadata.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns><see langword="false"/> when the lease was lost (recorded as a rejected write): nothing is listed.</returns>
    ValueTask<bool> AppendArtifactAsync(StoredAttempt attempt, ArtifactRef artifact, CancellationToken cancellationToken = default);

    /// <summary>The artifacts recorded for a job's task, by attempt, in the order they were recorded.</summary>
    /// <param name="jobId">The job's id (a standalone task's own id).</param>
    /// <param name="taskId">The task's id within the job.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The artifacts.</returns>
    ValueTask<IReadOnlyList<ArtifactRef>> ListArtifactsAsync(string jobId, string taskId, CancellationToken cancellationToken = default);
}
