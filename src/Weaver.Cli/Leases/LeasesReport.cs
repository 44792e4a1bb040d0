namespace Weaver.Cli.Leases;

/// <summary>The answer of <c>weaver leases --json</c>: every running task's lease, judged by the store's clock.</summary>
/// <param name="Now">The store's clock when the tasks were read: a lease is live while <c>now &lt;= expiresAt</c>.</param>
/// <param name="Leases">One per running task, by task id.</param>
internal sealed record LeasesReport(DateTimeOffset Now, IReadOnlyList<LeaseRow> Leases);

/// <summary>One running task's lease.</summary>
/// <param name="TaskId">The task (for a job's task, <c>{jobId}/{taskId}</c>).</param>
/// <param name="Kind">The handler that runs it.</param>
/// <param name="JobId">Its job; null for a standalone task.</param>
/// <param name="JobTaskId">Its id within the job; null for a standalone task.</param>
/// <param name="Owner">The worker that holds the lease.</param>
/// <param name="Epoch">The lease's fencing epoch: the worker's writes carry it, and a higher one fences them off.</param>
/// <param name="Attempt">Which attempt runs, from 1.</param>
/// <param name="ExpiresAt">When the lease goes stale unless renewed.</param>
/// <param name="Stale">
/// Whether it already expired by the store's clock: its worker stopped heartbeating, and the next sweep of a worker group
/// takes the task back.
/// </param>
/// <param name="Resources">The resource keys the attempt holds.</param>
internal sealed record LeaseRow(
    string TaskId,
    string Kind,
    string? JobId,
    string? JobTaskId,
    string? Owner,
    long Epoch,
    int Attempt,
    DateTimeOffset? ExpiresAt,
    bool Stale,
    IReadOnlyList<string> Resources)
{
    /// <summary>The lease of a running task, judged at <paramref name="now"/>.</summary>
    /// <param name="task">A running task.</param>
    /// <param name="now">The store's clock.</param>
    /// <returns>The row.</returns>
    public static LeaseRow Of(StoredTask task, DateTimeOffset now) => new(
        task.Id,
        task.Kind,
        task.Job?.JobId.Value,
        task.Job?.TaskId,
        task.Owner,
        task.Epoch,
        task.Attempts,
        task.LeaseExpiresAt,
        task.LeaseExpiresAt is not { } expires || now > expires,
        task.Resources);
}
