namespace Weaver.Cli.Locks;

/// <summary>The answer of <c>weaver locks --json</c>: every resource held by a live lock lease.</summary>
/// <param name="Now">The store's clock when the locks were read.</param>
/// <param name="Locks">One per held resource, by resource key.</param>
internal sealed record LocksReport(DateTimeOffset Now, IReadOnlyList<LockRow> Locks);

/// <summary>One held resource.</summary>
/// <param name="Resource">The resource key, normalized.</param>
/// <param name="TaskId">The task that holds it.</param>
/// <param name="Owner">The worker that runs that task.</param>
/// <param name="Epoch">The lock lease's fencing epoch.</param>
/// <param name="ExpiresAt">When the lock goes stale unless its holder renews it.</param>
internal sealed record LockRow(string Resource, string TaskId, string Owner, long Epoch, DateTimeOffset ExpiresAt)
{
    /// <summary>One row per resource of each lease, by resource key (ordinal).</summary>
    /// <param name="leases">The live lock leases.</param>
    /// <returns>The rows.</returns>
    public static IReadOnlyList<LockRow> Of(IEnumerable<ResourceLease> leases) =>
    [
        .. leases
            .SelectMany(lease => lease.Resources.Select(resource => new LockRow(resource.Value, lease.TaskId, lease.Owner, lease.Epoch, lease.ExpiresAt)))
            .OrderBy(row => row.Resource, StringComparer.Ordinal),
    ];
}
