namespace Weaver.PostgreSql;

public sealed partial class PostgreSqlWeaverStore
{
    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);

    /// <inheritdoc />
    /// <remarks>
    /// One transaction: the keys' rows are created when missing and locked in ordinal key order; a live holder of any
    /// key refuses the request (stale holders count as free); otherwise every row gets the new holder and the lease's
    /// epoch, one more than the largest latest epoch of its keys, by one conditional upsert.
    /// </remarks>
    public async ValueTask<ResourceLockResult> TryAcquireLocksAsync(string taskId, string owner, IReadOnlyCollection<string> resources, CancellationToken cancellationToken = default)
    {
        RequireHolder(taskId, owner);
        var keys = NormalizeKeys(resources, nameof(resources));
        var writeId = Guid.NewGuid();
        return await RunAsync($"acquire locks for task '{taskId}'", async (s, ct) =>
        {
            var (lease, _, conflicts) = await AcquireAsync(s, taskId, owner, keys, writeId, createRows: true, ct).ConfigureAwait(false);
            if (lease is null)
            {
                s.Telemetry.CountLockConflictOnCommit();
                return ResourceLockResult.Refused(conflicts);
            }

            return ResourceLockResult.Granted(lease);
        }, async (s, ct) =>
        {
            var rows = await ReadLockRowsAsync(s, $"SELECT {LockColumns} FROM {_s}.resource_locks WHERE write_id = @write", ("write", writeId), ct).ConfigureAwait(false);
            var now = await s.NowAsync(ct).ConfigureAwait(false);
            return rows.Count == keys.Length && rows.All(row => row.LeaseId == rows[0].LeaseId && row.ExpiresAt >= now)
                ? Recovered<ResourceLockResult>.Yes(ResourceLockResult.Granted(ToLease(rows)))
                : Recovered<ResourceLockResult>.No;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<ResourceLease?> RenewLocksAsync(ResourceLease lease, CancellationToken cancellationToken = default)
    {
        var keys = RequireLease(lease);
        return await RunAsync($"renew the locks of task '{lease.TaskId}'", async (s, ct) =>
        {
            if (await FindCurrentLeaseAsync(s, lease, keys, ct).ConfigureAwait(false) is not { } leaseId)
            {
                return null;
            }

            var expires = await s.ExpiryAsync(ct).ConfigureAwait(false);
            await using var command = s.Command($"UPDATE {_s}.resource_locks SET expires_at = @expires WHERE lease_id = @lease")
                .Time("expires", expires).Long("lease", leaseId);
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return new ResourceLease(lease.TaskId, lease.Owner, lease.Epoch, ToKeys(keys), expires);
        }, recover: null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>After a lost connection a release that did land reports <see langword="false"/> when tried again (the lease is gone); its locks are free either way.</remarks>
    public async ValueTask<bool> ReleaseLocksAsync(ResourceLease lease, CancellationToken cancellationToken = default)
    {
        var keys = RequireLease(lease);
        return await RunAsync($"release the locks of task '{lease.TaskId}'", async (s, ct) =>
        {
            if (await FindCurrentLeaseAsync(s, lease, keys, ct).ConfigureAwait(false) is not { } leaseId)
            {
                return false;
            }

            await ClearLeaseAsync(s, leaseId, ct).ConfigureAwait(false);
            s.Notify ??= "released";
            return true;
        }, recover: null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ResourceLease>> ListLocksAsync(CancellationToken cancellationToken = default) =>
        await RunAsync("list the locks", async (s, ct) =>
        {
            var now = await s.NowAsync(ct).ConfigureAwait(false);
            var rows = await ReadLockRowsAsync(s,
                $"SELECT {LockColumns} FROM {_s}.resource_locks WHERE lease_id IS NOT NULL AND expires_at >= @now", ("now", now), ct).ConfigureAwait(false);
            return (IReadOnlyList<ResourceLease>)rows
                .GroupBy(row => row.LeaseId)
                .Select(group => ToLease([.. group]))
                .OrderBy(lease => lease.TaskId, StringComparer.Ordinal)
                .ThenBy(lease => lease.Resources[0].Value, StringComparer.Ordinal)
                .ToList();
        }, recover: null, cancellationToken).ConfigureAwait(false);

    private const string LockColumns = "resource, latest_epoch, lease_id, holder_task_id, holder_owner, holder_epoch, expires_at";

    /// <summary>
    /// Creates the keys' rows when <paramref name="create"/> and they are missing, and locks them in the given (ordinal)
    /// order. Every writer of lock rows locks them this way first, so waits for lock rows cannot form a cycle.
    /// </summary>
    private async Task<Dictionary<string, LockRow>> LockKeysAsync(Session s, string[] sortedKeys, bool create, CancellationToken ct)
    {
        if (create)
        {
            await CreateLockRowsAsync(s, sortedKeys, ct).ConfigureAwait(false);
        }

        await using var select = s.Command(
            $"SELECT {LockColumns} FROM {_s}.resource_locks WHERE resource = ANY(@keys) ORDER BY array_position(@keys, resource) FOR UPDATE")
            .Texts("keys", sortedKeys);
        var rows = new Dictionary<string, LockRow>(StringComparer.Ordinal);
        await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var row = ReadLockRow(reader);
            rows[row.Resource] = row;
        }

        return rows;
    }

    /// <summary>Creates the free rows of keys that have none yet (rows are never deleted: they keep each key's latest epoch).</summary>
    private async Task CreateLockRowsAsync(Session s, string[] sortedKeys, CancellationToken ct)
    {
        await using var insert = s.Command(
            $"""
            INSERT INTO {_s}.resource_locks (resource)
            SELECT u.k FROM unnest(@keys) WITH ORDINALITY AS u(k, i) ORDER BY u.i
            ON CONFLICT (resource) DO NOTHING
            """).Texts("keys", sortedKeys);
        await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// All of <paramref name="keys"/> (sorted, distinct) for the holder, or the conflicts. Holders whose lease is stale
    /// count as free and are overwritten; each key's latest epoch only grows. The rows are created when
    /// <paramref name="createRows"/> (a task's rows exist from its creation) and locked in key order.
    /// </summary>
    private async Task<(ResourceLease? Lease, long LeaseId, List<ResourceConflict> Conflicts)> AcquireAsync(
        Session s, string taskId, string owner, string[] keys, Guid writeId, bool createRows, CancellationToken ct)
    {
        var now = await s.NowAsync(ct).ConfigureAwait(false);
        var rows = await LockKeysAsync(s, keys, createRows, ct).ConfigureAwait(false);
        var conflicts = new List<ResourceConflict>();
        foreach (var key in keys)
        {
            var row = rows[key];
            if (row.IsLiveAt(now))
            {
                conflicts.Add(new ResourceConflict(ToKey(key), row.HolderTaskId!, row.HolderOwner ?? "", row.HolderEpoch ?? 0, row.ExpiresAt!.Value + OneTick));
            }
        }

        if (conflicts.Count > 0)
        {
            return (null, 0, conflicts);
        }

        var epoch = 1 + keys.Max(key => rows[key].LatestEpoch);
        var expires = await s.ExpiryAsync(ct).ConfigureAwait(false);
        await using var grant = s.Command(
            $"""
            WITH lease AS (SELECT nextval('{_s}.lock_lease_ids') AS id)
            INSERT INTO {_s}.resource_locks AS l
                (resource, latest_epoch, lease_id, holder_task_id, holder_owner, holder_epoch, expires_at, write_id)
            SELECT u.k, @epoch, lease.id, @task, @owner, @epoch, @expires, @write
            FROM unnest(@keys) WITH ORDINALITY AS u(k, i) CROSS JOIN lease
            ORDER BY u.i
            ON CONFLICT (resource) DO UPDATE SET
                latest_epoch = EXCLUDED.latest_epoch, lease_id = EXCLUDED.lease_id, holder_task_id = EXCLUDED.holder_task_id,
                holder_owner = EXCLUDED.holder_owner, holder_epoch = EXCLUDED.holder_epoch, expires_at = EXCLUDED.expires_at,
                write_id = EXCLUDED.write_id
            WHERE (l.lease_id IS NULL OR l.expires_at < @now) AND l.latest_epoch < EXCLUDED.latest_epoch
            RETURNING l.lease_id
            """)
            .Texts("keys", keys).Long("epoch", epoch).Text("task", taskId).Text("owner", owner).Time("expires", expires)
            .Time("now", now).Uuid("write", writeId);
        var granted = 0;
        var leaseId = 0L;
        await using (var reader = await grant.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                granted++;
                leaseId = reader.GetInt64(0);
            }
        }

        if (granted != keys.Length)
        {
            // The rows are locked by this transaction and were free: anything else is a broken invariant, not a race.
            throw new InvalidOperationException(
                $"Acquiring {Describe(keys)} for task '{taskId}' updated {granted} of {keys.Length} lock rows it had locked and found free.");
        }

        return (new ResourceLease(taskId, owner, epoch, ToKeys(keys), expires), leaseId, conflicts);
    }

    /// <summary>
    /// Locks the lease's rows and returns its lease id when <paramref name="lease"/> is the current, live holding of
    /// exactly its keys (same task, owner and epoch); otherwise null.
    /// </summary>
    private async Task<long?> FindCurrentLeaseAsync(Session s, ResourceLease lease, string[] keys, CancellationToken ct)
    {
        var now = await s.NowAsync(ct).ConfigureAwait(false);
        var rows = await LockKeysAsync(s, keys, create: false, ct).ConfigureAwait(false);
        if (rows.Count != keys.Length || rows[keys[0]].LeaseId is not { } leaseId)
        {
            return null;
        }

        foreach (var row in rows.Values)
        {
            if (row.LeaseId != leaseId || !row.IsLiveAt(now) || row.HolderEpoch != lease.Epoch
                || !string.Equals(row.HolderTaskId, lease.TaskId, StringComparison.Ordinal)
                || !string.Equals(row.HolderOwner, lease.Owner, StringComparison.Ordinal))
            {
                return null;
            }
        }

        // Exactly its keys: the holding has no key the caller left out.
        await using var count = s.Command($"SELECT count(*) FROM {_s}.resource_locks WHERE lease_id = @lease").Long("lease", leaseId);
        return (long)(await count.ExecuteScalarAsync(ct).ConfigureAwait(false))! == keys.Length ? leaseId : null;
    }

    /// <summary>Frees every row of the lease; the keys keep their latest epochs.</summary>
    private async Task<int> ClearLeaseAsync(Session s, long leaseId, CancellationToken ct)
    {
        await using var command = s.Command(
            $"""
            UPDATE {_s}.resource_locks
            SET lease_id = NULL, holder_task_id = NULL, holder_owner = NULL, holder_epoch = NULL, expires_at = NULL
            WHERE lease_id = @lease
            """).Long("lease", leaseId);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Releases the lock lease a task's ended attempt held, as the engine does: "Released ..." when it was still live,
    /// otherwise the note that it went stale (its rows are freed all the same). Null when the task holds no resources.
    /// </summary>
    private async Task<TaskEvent?> ReleaseTaskLocksAsync(Session s, string[] resources, long? leaseId, long? lockEpoch, string? owner, int attempt, CancellationToken ct)
    {
        if (resources.Length == 0 || leaseId is not { } lease)
        {
            return null;
        }

        var now = await s.NowAsync(ct).ConfigureAwait(false);
        var keys = SortKeys(resources);
        var rows = await LockKeysAsync(s, keys, create: false, ct).ConfigureAwait(false);
        var live = keys.All(key => rows.TryGetValue(key, out var row) && row.LeaseId == lease && row.IsLiveAt(now));
        await ClearLeaseAsync(s, lease, ct).ConfigureAwait(false);
        s.Notify ??= "released";
        var epoch = lockEpoch ?? 0;
        return new TaskEvent(now, TaskEventKind.ResourcesReleased, attempt, owner, epoch,
            live ? $"Released {Describe(keys)}." : $"The locks on {Describe(keys)} (epoch {epoch}) were already gone: they went stale.");
    }

    /// <summary>Renews the lock lease of a running attempt to the attempt's new expiry, if it is still live.</summary>
    private async Task RenewTaskLocksAsync(Session s, string[] resources, long? leaseId, DateTimeOffset expires, CancellationToken ct)
    {
        if (resources.Length == 0 || leaseId is not { } lease)
        {
            return;
        }

        var now = await s.NowAsync(ct).ConfigureAwait(false);
        _ = await LockKeysAsync(s, SortKeys(resources), create: false, ct).ConfigureAwait(false);
        await using var command = s.Command(
            $"UPDATE {_s}.resource_locks SET expires_at = @expires WHERE lease_id = @lease AND expires_at >= @now")
            .Time("expires", expires).Long("lease", lease).Time("now", now);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Frees lock rows whose lease went stale (rows another transaction has locked are left to it).</summary>
    private async Task<int> ReleaseStaleLocksAsync(Session s, CancellationToken ct)
    {
        var now = await s.NowAsync(ct).ConfigureAwait(false);
        await using var command = s.Command(
            $"""
            UPDATE {_s}.resource_locks
            SET lease_id = NULL, holder_task_id = NULL, holder_owner = NULL, holder_epoch = NULL, expires_at = NULL
            WHERE resource IN (
                SELECT resource FROM {_s}.resource_locks WHERE lease_id IS NOT NULL AND expires_at < @now FOR UPDATE SKIP LOCKED)
            """).Time("now", now);
        var released = await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        if (released > 0)
        {
            s.Notify ??= "released";
        }

        return released;
    }

    private async Task<List<LockRow>> ReadLockRowsAsync(Session s, string sql, (string Name, object Value) parameter, CancellationToken ct)
    {
        await using var command = s.Command(sql);
        _ = parameter.Value switch
        {
            Guid id => command.Uuid(parameter.Name, id),
            DateTimeOffset at => command.Time(parameter.Name, at),
            _ => throw new ArgumentException("Only a uuid or a time parameter is expected here.", nameof(parameter)),
        };
        var rows = new List<LockRow>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(ReadLockRow(reader));
        }

        return rows;
    }

    private static LockRow ReadLockRow(System.Data.Common.DbDataReader reader) => new(
        reader.GetString(0), reader.GetInt64(1), reader.NullableLong(2), reader.NullableText(3), reader.NullableText(4),
        reader.NullableLong(5), reader.NullableTime(6));

    /// <summary>A lease from rows of one lease id.</summary>
    private static ResourceLease ToLease(IReadOnlyList<LockRow> rows)
    {
        var keys = SortKeys(rows.Select(row => row.Resource));
        var first = rows[0];
        return new ResourceLease(first.HolderTaskId!, first.HolderOwner!, first.HolderEpoch ?? 0, ToKeys(keys), first.ExpiresAt!.Value);
    }

    private static void RequireHolder(string taskId, string owner)
    {
        if (string.IsNullOrWhiteSpace(taskId))
        {
            throw new ArgumentException($"The task id must not be empty or white space (got '{taskId}'); pass the id of the task that needs the resources.", nameof(taskId));
        }

        if (string.IsNullOrWhiteSpace(owner))
        {
            throw new ArgumentException($"The owner must not be empty or white space (got '{owner}'); pass the id of the worker that runs the task.", nameof(owner));
        }

        RequireStorable(taskId, nameof(taskId));
        RequireStorable(owner, nameof(owner));
    }

    /// <summary>Normalizes keys (<see cref="ResourceKey"/>, case-sensitive), drops duplicates and sorts them ordinally.</summary>
    private static string[] NormalizeKeys(IReadOnlyCollection<string>? resources, string parameter)
    {
        if (resources is null || resources.Count == 0)
        {
            throw new ArgumentException(
                "No resources were given; pass at least one resource key (a path such as 'src/a.cs' or a name such as 'db:orders').", parameter);
        }

        var keys = resources.Select(raw =>
        {
            if (!ResourceKey.TryNormalize(raw, ResourceKeyCase.Sensitive, out var key, out var error))
            {
                throw new ArgumentException(error, parameter);
            }

            RequireStorable(key.Value, "A resource key");
            return key.Value;
        });
        return SortKeys(keys);
    }

    private static string[] RequireLease(ResourceLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (lease.Resources is not { Count: > 0 } || lease.Resources.Any(key => key.Value is null))
        {
            throw new ArgumentException("The lease names no resources (or a default ResourceKey); pass a lease TryAcquireLocksAsync granted.", nameof(lease));
        }

        return SortKeys(lease.Resources.Select(key => key.Value));
    }

    private static string[] SortKeys(IEnumerable<string> keys) => [.. keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static ResourceKey ToKey(string key) => ResourceKey.Normalize(key, ResourceKeyCase.Sensitive);

    private static ResourceKey[] ToKeys(string[] keys) => [.. keys.Select(ToKey)];

    private static string Describe(IEnumerable<string> keys) => string.Join(", ", keys.Select(key => $"'{key}'"));

    /// <summary>A row of <c>resource_locks</c>: one key, its latest epoch, and its holder if any.</summary>
    private sealed record LockRow(string Resource, long LatestEpoch, long? LeaseId, string? HolderTaskId, string? HolderOwner, long? HolderEpoch, DateTimeOffset? ExpiresAt)
    {
        public bool IsLiveAt(DateTimeOffset now) => LeaseId is not null && ExpiresAt >= now;
    }
}
