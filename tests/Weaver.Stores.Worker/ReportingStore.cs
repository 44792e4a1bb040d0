namespace Weaver.Stores.Worker;

/// <summary>
/// The worker's store, passed through, with every attempt write it makes reported on stdout
/// (<see cref="WorkerProtocol"/>): accepted commits, rejected writes (a lost lease) and writes that threw. The tests
/// hold these reports against the store's histories.
/// </summary>
internal sealed class ReportingStore(IWeaverStore inner) : IWeaverStore
{
    public LeaseOptions Leases => inner.Leases;

    public ValueTask<DateTimeOffset> NowAsync(CancellationToken cancellationToken = default) => inner.NowAsync(cancellationToken);

    public ValueTask<StoredTask> CreateTaskAsync(NewTask task, CancellationToken cancellationToken = default) =>
        inner.CreateTaskAsync(task, cancellationToken);

    public ValueTask<StoredTask?> GetTaskAsync(string id, CancellationToken cancellationToken = default) => inner.GetTaskAsync(id, cancellationToken);

    public ValueTask<IReadOnlyList<StoredTask>> ListTasksAsync(TaskLifecycle.State? state = null, CancellationToken cancellationToken = default) =>
        inner.ListTasksAsync(state, cancellationToken);

    public ValueTask<IReadOnlyList<TaskEvent>> GetHistoryAsync(string id, CancellationToken cancellationToken = default) =>
        inner.GetHistoryAsync(id, cancellationToken);

    public ValueTask<IReadOnlyList<StoredAttempt>> ClaimAsync(
        string owner, int max, IReadOnlyCollection<string> kinds, CancellationToken cancellationToken = default) =>
        inner.ClaimAsync(owner, max, kinds, cancellationToken);

    public ValueTask WaitForWorkAsync(TimeSpan maxWait, CancellationToken cancellationToken = default) =>
        inner.WaitForWorkAsync(maxWait, cancellationToken);

    public async ValueTask<StoredAttempt?> RenewAsync(StoredAttempt attempt, CancellationToken cancellationToken = default)
    {
        var renewed = await inner.RenewAsync(attempt, cancellationToken).ConfigureAwait(false);
        if (renewed is null)
        {
            Report.Write(WorkerProtocol.Rejected, attempt.TaskId, attempt.Owner, attempt.Epoch, "heartbeat");
        }

        return renewed;
    }

    public ValueTask<bool> CompleteAsync(StoredAttempt attempt, string? result, decimal cost, CancellationToken cancellationToken = default) =>
        ReportAsync(attempt, "commit", () => inner.CompleteAsync(attempt, result, cost, cancellationToken));

    public ValueTask<bool> FailAsync(StoredAttempt attempt, string error, decimal cost, bool permanent = false, CancellationToken cancellationToken = default) =>
        ReportAsync(attempt, "failure", () => inner.FailAsync(attempt, error, cost, permanent, cancellationToken));

    public ValueTask<bool> AbandonAsync(StoredAttempt attempt, string reason, CancellationToken cancellationToken = default) =>
        ReportAsync(attempt, "hand-back", () => inner.AbandonAsync(attempt, reason, cancellationToken));

    public ValueTask<bool> RecordDecisionAsync(StoredAttempt attempt, Decision decision, CancellationToken cancellationToken = default) =>
        inner.RecordDecisionAsync(attempt, decision, cancellationToken);

    public ValueTask<bool> CancelAsync(string id, CancellationToken cancellationToken = default) => inner.CancelAsync(id, cancellationToken);

    public ValueTask<int> SweepAsync(CancellationToken cancellationToken = default) => inner.SweepAsync(cancellationToken);

    public ValueTask<ResourceLockResult> TryAcquireLocksAsync(
        string taskId, string owner, IReadOnlyCollection<string> resources, CancellationToken cancellationToken = default) =>
        inner.TryAcquireLocksAsync(taskId, owner, resources, cancellationToken);

    public ValueTask<ResourceLease?> RenewLocksAsync(ResourceLease lease, CancellationToken cancellationToken = default) =>
        inner.RenewLocksAsync(lease, cancellationToken);

    public ValueTask<bool> ReleaseLocksAsync(ResourceLease lease, CancellationToken cancellationToken = default) =>
        inner.ReleaseLocksAsync(lease, cancellationToken);

    public ValueTask<IReadOnlyList<ResourceLease>> ListLocksAsync(CancellationToken cancellationToken = default) =>
        inner.ListLocksAsync(cancellationToken);

    public ValueTask<StoredJob> CreateJobAsync(NewJob job, CancellationToken cancellationToken = default) => inner.CreateJobAsync(job, cancellationToken);

    public ValueTask<StoredJob?> GetJobAsync(string id, CancellationToken cancellationToken = default) => inner.GetJobAsync(id, cancellationToken);

    public ValueTask<StoredJob?> TryUpdateJobAsync(
        string id, long expectedRevision, string state, string document, CancellationToken cancellationToken = default) =>
        inner.TryUpdateJobAsync(id, expectedRevision, state, document, cancellationToken);

    public ValueTask<IReadOnlyList<StoredJob>> ListJobsAsync(CancellationToken cancellationToken = default) => inner.ListJobsAsync(cancellationToken);

    public ValueTask<bool> AppendArtifactAsync(StoredAttempt attempt, ArtifactRef artifact, CancellationToken cancellationToken = default) =>
        inner.AppendArtifactAsync(attempt, artifact, cancellationToken);

    public ValueTask<IReadOnlyList<ArtifactRef>> ListArtifactsAsync(string jobId, string taskId, CancellationToken cancellationToken = default) =>
        inner.ListArtifactsAsync(jobId, taskId, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private static async ValueTask<bool> ReportAsync(StoredAttempt attempt, string operation, Func<ValueTask<bool>> write)
    {
        bool accepted;
        try
        {
            accepted = await write().ConfigureAwait(false);
        }
        catch (Exception error)
        {
            Report.Write(WorkerProtocol.Unwritten, attempt.TaskId, attempt.Owner, attempt.Epoch, operation, $"{error.GetType().Name}: {error.Message}");
            throw;
        }

        if (!accepted)
        {
            Report.Write(WorkerProtocol.Rejected, attempt.TaskId, attempt.Owner, attempt.Epoch, operation);
        }
        else if (operation == "commit")
        {
            Report.Write(WorkerProtocol.Committed, attempt.TaskId, attempt.Owner, attempt.Epoch);
        }

        return accepted;
    }
}
