namespace Weaver;

/// <summary>
/// The <see cref="IWeaverStore"/> service of a Weaver host: resolved at once, it waits in each call for the host's store to
/// be open (opening it if the host has not started yet), then passes the call on. The host owns the store:
/// <see cref="DisposeAsync"/> does nothing, and the store is disposed with the host.
/// </summary>
internal sealed class HostedStore(WeaverRuntime runtime) : IWeaverStore
{
    /// <inheritdoc/>
    /// <remarks>The host's <see cref="WeaverOptions.Leases"/>, which its store uses too (checked at start).</remarks>
    public LeaseOptions Leases => runtime.Options.Leases;

    /// <inheritdoc/>
    public async ValueTask<DateTimeOffset> NowAsync(CancellationToken cancellationToken) =>
        await (await StoreAsync(cancellationToken).ConfigureAwait(false)).NowAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<StoredTask> CreateTaskAsync(NewTask task, CancellationToken cancellationToken) =>
        await (await StoreAsync(cancellationToken).ConfigureAwait(false)).CreateTaskAsync(task, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<StoredTask?> GetTaskAsync(string id, CancellationToken cancellationToken) =>
        await (await StoreAsync(cancellationToken).ConfigureAwait(false)).GetTaskAsync(id, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<StoredTask>> ListTasksAsync(TaskLifecycle.State? state, CancellationToken cancellationToken) =>
        await (await StoreAsync(cancellationToken).ConfigureAwait(false)).ListTasksAsync(state, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<TaskEvent>> GetHistoryAsync(string id, CancellationToken cancellationToken) =>
        await (await StoreAsync(cancellationToken).ConfigureAwait(false)).GetHistoryAsync(id, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<StoredAttempt>> ClaimAsync(string owner, int max, IReadOnlyCollection<string> kinds, CancellationToken cancellationToken) =>
        await (await StoreAsync(cancellationToken).ConfigureAwait(false)).ClaimAsync(owner, max, kinds, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask WaitForWorkAsync(TimeSpan maxWait, CancellationToken cancellationToken) =>
        await (await StoreAsync(cancellationToken).ConfigureAwait(false)).WaitForWorkAsync(maxWait, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<StoredAttempt?> RenewAsync(StoredAttempt attempt, CancellationToken cancellationToken) =>
        await (await StoreAsync(cancellationToken).ConfigureAwait(false)).RenewAsync(attempt, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<bool> CompleteAsync(StoredAttempt attempt, string? result, decimal cost, CancellationToken cancellationToken) =>
        await (await StoreAsync(cancellationToken).ConfigureAwait(false)).CompleteAsync(attempt, result, cost, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<bool> FailAsync(StoredAttempt attempt, string error, decimal cost, bool permanent, CancellationToken cancellationToken) =>
        await (await StoreAsync(cancellationToken).ConfigureAwait(false)).FailAsync(attempt, error, cost, permanent, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<bool> AbandonAsync(StoredAttempt attempt, string reason, CancellationToken cancellationToken) =>
        await (await StoreAsync(cancellationToken).ConfigureAwait(false)).AbandonAsync(attempt, reason, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<bool> RecordDecisionAsync(StoredAttempt attempt, Decision decision, CancellationToken cancellationToken) =>
        await (await StoreAsync(cancellationToken).ConfigureAwait(false)).RecordDecisionAsync(attempt, decision, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<bool> CancelAsync(string id, CancellationToken cancellationToken) =>
        await (await StoreAsync(cancellationToken).ConfigureAwait(false)).CancelAsync(id, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<int> SweepAsync(CancellationToken cancellationToken) =>
        await (await StoreAsync(cancellationToken).ConfigureAwait(false)).SweepAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<ResourceLockResult> TryAcquireLocksAsync(string taskId, string owner, IReadOnlyCollection<string> resources, CancellationToken cancellationToken) =>
        await (await StoreAsync(cancellationToken).ConfigureAwait(false)).TryAcquireLocksAsync(taskId, owner, resources, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<ResourceLease?> RenewLocksAsync(ResourceLease lease, CancellationToken cancellationToken) =>
        await (await StoreAsync(cancellationToken).ConfigureAwait(false)).RenewLocksAsync(lease, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<bool> ReleaseLocksAsync(ResourceLease lease, CancellationToken cancellationToken) =>
        await (await StoreAsync(cancellationToken).ConfigureAwait(false)).ReleaseLocksAsync(lease, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<ResourceLease>> ListLocksAsync(CancellationToken cancellationToken) =>
        await (await StoreAsync(cancellationToken).ConfigureAwait(false)).ListLocksAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<StoredJob> CreateJobAsync(NewJob job, CancellationToken cancellationToken) =>
        await (await StoreAsync(cancellationToken).ConfigureAwait(false)).CreateJobAsync(job, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<StoredJob?> GetJobAsync(string id, CancellationToken cancellationToken) =>
        await (await StoreAsync(cancellationToken).ConfigureAwait(false)).GetJobAsync(id, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<StoredJob?> TryUpdateJobAsync(string id, long expectedRevision, string state, string document, CancellationToken cancellationToken) =>
        await (await StoreAsync(cancellationToken).ConfigureAwait(false)).TryUpdateJobAsync(id, expectedRevision, state, document, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<StoredJob>> ListJobsAsync(CancellationToken cancellationToken) =>
        await (await StoreAsync(cancellationToken).ConfigureAwait(false)).ListJobsAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<bool> AppendArtifactAsync(StoredAttempt attempt, ArtifactRef artifact, CancellationToken cancellationToken) =>
        await (await StoreAsync(cancellationToken).ConfigureAwait(false)).AppendArtifactAsync(attempt, artifact, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<ArtifactRef>> ListArtifactsAsync(string jobId, string taskId, CancellationToken cancellationToken) =>
        await (await StoreAsync(cancellationToken).ConfigureAwait(false)).ListArtifactsAsync(jobId, taskId, cancellationToken).ConfigureAwait(false);

    /// <summary>Does nothing: the store is the host's, and is disposed with it.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task<IWeaverStore> StoreAsync(CancellationToken cancellationToken) => runtime.GetStoreAsync(cancellationToken);
}
