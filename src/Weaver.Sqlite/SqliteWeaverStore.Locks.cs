using static Weaver.Sqlite.SqliteRows;

namespace Weaver.Sqlite;

public sealed partial class SqliteWeaverStore
{
    /// <inheritdoc />
    public async ValueTask<ResourceLockResult> TryAcquireLocksAsync(
        string taskId, string owner, IReadOnlyCollection<string> resources, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(taskId))
        {
            throw new ArgumentException("The task id is null or empty; pass the id of the task that needs the resources.", nameof(taskId));
        }

        if (string.IsNullOrEmpty(owner))
        {
            throw new ArgumentException("The owner is null or empty; pass the id of the worker that runs the task.", nameof(owner));
        }

        if (resources is null || resources.Count == 0)
        {
            throw new ArgumentException(
                "No resources were given; pass at least one resource key (a path such as 'src/a.cs' or a name such as 'db:orders').", nameof(resources));
        }

        // Normalized before the transaction: a bad key changes nothing.
        var keys = LeaseKeys(resources.Select(raw => ResourceKey.Normalize(raw, ResourceKeyCase.Sensitive).Value));
        var result = await WriteAsync(
            "acquiring resource locks",
            session => TryAcquire(session, taskId, owner, keys, session.NowTicks + Leases.StaleAfter.Ticks),
            cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <inheritdoc />
    public async ValueTask<ResourceLease?> RenewLocksAsync(ResourceLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (lease.Resources is not { Count: > 0 })
        {
            return null;
        }

        return await WriteAsync(
            "renewing resource locks",
            session =>
            {
                if (!IsCurrent(session, lease))
                {
                    return null;
                }

                var expires = session.NowTicks + Leases.StaleAfter.Ticks;
                session.Execute(
                    "UPDATE resource_locks SET expires_at = $expires WHERE task_id = $task AND owner = $owner AND epoch = $epoch AND expires_at >= $now",
                    ("$expires", expires),
                    ("$task", lease.TaskId),
                    ("$owner", lease.Owner),
                    ("$epoch", lease.Epoch),
                    ("$now", session.NowTicks));
                return lease with { ExpiresAt = Instant("resource_locks", lease.TaskId, expires, "expires_at") };
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> ReleaseLocksAsync(ResourceLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (lease.Resources is not { Count: > 0 })
        {
            return false;
        }

        var released = await WriteAsync(
            "releasing resource locks",
            session =>
            {
                if (!IsCurrent(session, lease))
                {
                    return false;
                }

                session.Execute(
                    "UPDATE resource_locks SET task_id = NULL, owner = NULL, expires_at = NULL WHERE task_id = $task AND owner = $owner AND epoch = $epoch",
                    ("$task", lease.TaskId),
                    ("$owner", lease.Owner),
                    ("$epoch", lease.Epoch));
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        SignalIf(released);
        return released;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ResourceLease>> ListLocksAsync(CancellationToken cancellationToken = default)
    {
        var rows = await ReadAsync(
            "listing resource locks",
            session => session.Query(
                "SELECT resource, task_id, owner, epoch, expires_at FROM resource_locks WHERE task_id IS NOT NULL AND expires_at >= $now",
                reader => new LockRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4)),
                ("$now", session.NowTicks)),
            cancellationToken).ConfigureAwait(false);
        return
        [
            .. rows
                .GroupBy(row => (row.TaskId, row.Owner, row.Epoch))
                .Select(holding => new ResourceLease(
                    holding.Key.TaskId!,
                    holding.Key.Owner!,
                    holding.Key.Epoch,
                    LeaseKeys(holding.Select(row => row.Resource)),
                    Instant("resource_locks", holding.Key.TaskId!, holding.Min(row => row.ExpiresAt!.Value), "expires_at")))
                .OrderBy(lease => lease.TaskId, StringComparer.Ordinal)
                .ThenBy(lease => lease.Epoch),
        ];
    }

    /// <summary>
    /// Acquires all of <paramref name="keys"/> for the task, or none, inside the caller's write transaction (ADR 0012):
    /// stale holders of those keys are released first (whole), then any live holder refuses the request; otherwise
    /// every key is taken under an epoch one above the largest latest epoch of the keys.
    /// </summary>
    /// <param name="session">The caller's write transaction.</param>
    /// <param name="taskId">The holder.</param>
    /// <param name="owner">Its worker.</param>
    /// <param name="keys">Normalized, distinct, in ordinal order.</param>
    /// <param name="expires">The lease's expiry, in ticks.</param>
    /// <returns>The lease, or the conflicts in key order.</returns>
    private static ResourceLockResult TryAcquire(SqliteSession session, string taskId, string owner, IReadOnlyList<ResourceKey> keys, long expires)
    {
        var rows = new List<(ResourceKey Key, LockRow? Row)>(keys.Count);
        foreach (var key in keys)
        {
            var row = session.QuerySingle(
                "SELECT resource, task_id, owner, epoch, expires_at FROM resource_locks WHERE resource = $resource",
                reader => new LockRow(
                    reader.GetString(0),
                    reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetInt64(3),
                    reader.IsDBNull(4) ? null : reader.GetInt64(4)),
                ("$resource", key.Value));
            if (row is { TaskId: { } holder, ExpiresAt: { } expiresAt } && expiresAt < session.NowTicks)
            {
                // A stale holding is released whole, as the lock manager does.
                session.Execute(
                    "UPDATE resource_locks SET task_id = NULL, owner = NULL, expires_at = NULL WHERE task_id = $task AND epoch = $epoch",
                    ("$task", holder),
                    ("$epoch", row.Epoch));
                row = row with { TaskId = null, Owner = null, ExpiresAt = null };
            }

            rows.Add((key, row));
        }

        var conflicts = rows
            .Where(pair => pair.Row is { TaskId: not null })
            .Select(pair => new ResourceConflict(
                pair.Key,
                pair.Row!.TaskId!,
                pair.Row.Owner ?? "",
                pair.Row.Epoch,
                Instant("resource_locks", pair.Key.Value, pair.Row.ExpiresAt!.Value + 1, "expires_at")))
            .ToList();
        if (conflicts.Count > 0)
        {
            session.Telemetry.CountLockConflictOnCommit();
            return ResourceLockResult.Refused(conflicts);
        }

        var epoch = 1 + rows.Max(pair => pair.Row?.Epoch ?? 0);
        foreach (var key in keys)
        {
            session.Execute(
                """
                INSERT INTO resource_locks (resource, epoch, task_id, owner, expires_at) VALUES ($resource, $epoch, $task, $owner, $expires)
                ON CONFLICT (resource) DO UPDATE SET epoch = excluded.epoch, task_id = excluded.task_id, owner = excluded.owner, expires_at = excluded.expires_at
                """,
                ("$resource", key.Value),
                ("$epoch", epoch),
                ("$task", taskId),
                ("$owner", owner),
                ("$expires", expires));
        }

        return ResourceLockResult.Granted(new ResourceLease(taskId, owner, epoch, keys, Instant("resource_locks", taskId, expires, "expires_at")));
    }

    /// <summary>Whether the lease is its resources' current live holding: holder, owner, epoch and exactly its keys, not stale.</summary>
    private static bool IsCurrent(SqliteSession session, ResourceLease lease)
    {
        var held = session.Query(
            "SELECT resource, owner, expires_at FROM resource_locks WHERE task_id = $task AND epoch = $epoch",
            reader => (Resource: reader.GetString(0), Owner: reader.GetString(1), ExpiresAt: reader.GetInt64(2)),
            ("$task", lease.TaskId),
            ("$epoch", lease.Epoch));
        if (held.Count == 0 || held.Any(row => !string.Equals(row.Owner, lease.Owner, StringComparison.Ordinal) || row.ExpiresAt < session.NowTicks))
        {
            return false;
        }

        var heldKeys = held.Select(row => row.Resource).Order(StringComparer.Ordinal);
        var leaseKeys = lease.Resources.Select(key => key.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return heldKeys.SequenceEqual(leaseKeys, StringComparer.Ordinal);
    }

    /// <summary>A <c>resource_locks</c> row; holder, owner and expiry are null when the key is free.</summary>
    private sealed record LockRow(string Resource, string? TaskId, string? Owner, long Epoch, long? ExpiresAt);
}
