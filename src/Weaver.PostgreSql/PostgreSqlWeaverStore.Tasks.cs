namespace Weaver.PostgreSql;

public sealed partial class PostgreSqlWeaverStore
{
    /// <summary><see cref="HoldsLeaseAt"/> the time in parameter <c>@now</c>.</summary>
    private static readonly string HoldsLease = HoldsLeaseAt("@now");

    /// <summary>
    /// The condition of every worker write: the attempt's epoch is the task's, it runs, and its lease is live at
    /// <paramref name="now"/> (a parameter, or a <see cref="Session.NowSql"/>).
    /// </summary>
    private static string HoldsLeaseAt(string now) => $"id = @id AND epoch = @epoch AND state = 'Running' AND lease_expires_at >= {now}";

    /// <inheritdoc />
    public async ValueTask<StoredTask> CreateTaskAsync(NewTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        task = task.Validate().WithCurrentTraceContext();
        RequireStorable(task.Id, "The task id");
        RequireStorable(task.Kind, "The task kind");
        RequireStorable(task.Input, "The task input");
        if (task.Job is { } job && (job.JobId.Value is null || job.TaskId is null))
        {
            throw new ArgumentException(
                $"Task '{task.Id}': its job reference is empty (default); pass new JobTaskRef(jobId, taskId), or null for a task that belongs to no job.",
                nameof(task));
        }

        RequireStorable(task.Job?.JobId.Value, "The job id");
        RequireStorable(task.Job?.TaskId, "The job task id");
        var resources = task.Resources
            .Select(raw => ResourceKey.TryNormalize(raw, ResourceKeyCase.Sensitive, out var key, out var error)
                ? key.Value
                : throw new ArgumentException($"Task '{task.Id}': {error}", nameof(task)))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        foreach (var key in resources)
        {
            RequireStorable(key, "A resource key");
        }

        var writeId = Guid.NewGuid();
        return await RunAsync($"create task '{task.Id}'", async (s, ct) =>
        {
            var now = await s.NowAsync(ct).ConfigureAwait(false);
            await using var insert = s.Command(
                $"""
                INSERT INTO {_s}.tasks (id, kind, state, input, retry_max_attempts, retry_initial_delay_ticks, retry_multiplier,
                    retry_max_delay_ticks, retry_jitter, created_at, resources, job_id, job_task_id, trace_parent, trace_state)
                VALUES (@id, @kind, 'Queued', @input, @max_attempts, @initial_delay, @multiplier, @max_delay, @jitter, @now,
                    @resources, @job_id, @job_task_id, @trace_parent, @trace_state)
                ON CONFLICT (id) DO NOTHING
                """)
                .Text("id", task.Id).Text("kind", task.Kind).Text("input", task.Input).Int("max_attempts", task.Retry.MaxAttempts)
                .Long("initial_delay", task.Retry.InitialDelay.Ticks).Double("multiplier", task.Retry.Multiplier)
                .Long("max_delay", task.Retry.MaxDelay.Ticks).Double("jitter", task.Retry.Jitter).Time("now", now)
                .Texts("resources", resources).Text("job_id", task.Job?.JobId.Value).Text("job_task_id", task.Job?.TaskId)
                .Text("trace_parent", task.TraceParent).Text("trace_state", task.TraceState);
            if (await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 0)
            {
                throw new DuplicateTaskException(task.Id);
            }

            if (resources.Length > 0)
            {
                // So that claims find the rows to lock without waiting to create them.
                await CreateLockRowsAsync(s, SortKeys(resources), ct).ConfigureAwait(false);
            }

            await InsertEventsAsync(s, [(task.Id, TaskEvents.Submitted(now, task.Kind))], writeId, ct).ConfigureAwait(false);
            s.Notify = "created";
            return new StoredTask(task.Id, task.Kind, TaskLifecycle.State.Queued, task.Input, 0, task.Retry, 0, null, null, null, null, null, 0m, now)
            {
                Resources = resources,
                Job = task.Job,
                TraceParent = task.TraceParent,
                TraceState = task.TraceState,
            };
        }, async (s, ct) =>
        {
            await using var command = s.Command($"SELECT 1 FROM {_s}.task_events WHERE write_id = @write").Uuid("write", writeId);
            return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is null
                ? Recovered<StoredTask>.No
                : Recovered<StoredTask>.Yes((await ReadTaskAsync(s, task.Id, ct).ConfigureAwait(false))!);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<StoredTask?> GetTaskAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return await RunAsync($"read task '{id}'", (s, ct) => ReadTaskAsync(s, id, ct), recover: null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>A row this version cannot read (an unknown state) is left out and logged as a warning that names it.</remarks>
    public async ValueTask<IReadOnlyList<StoredTask>> ListTasksAsync(TaskLifecycle.State? state = null, CancellationToken cancellationToken = default)
    {
        if (state is { } wanted && !Enum.IsDefined(wanted))
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, $"Not a task state; allowed: {string.Join(", ", States.Keys)}, or null for all.");
        }

        return await RunAsync("list tasks", async (s, ct) =>
        {
            await using var command = s.Command($"SELECT {TaskColumns} FROM {_s}.tasks WHERE @state::text IS NULL OR state = @state")
                .Text("state", state?.ToString());
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var tasks = new List<StoredTask>();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    tasks.Add(ReadTask(reader));
                }
                catch (StoreRowException bad)
                {
                    Log.SkippedRow(_logger, bad.Table, bad.RowId, bad.Message);
                }
            }

            tasks.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
            return (IReadOnlyList<StoredTask>)tasks;
        }, recover: null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Renews the attempt's resource locks to the same expiry.</remarks>
    public async ValueTask<StoredAttempt?> RenewAsync(StoredAttempt attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var writeId = Guid.NewGuid();
        return await RunAsync($"renew the lease of task '{attempt.TaskId}'", async (s, ct) =>
        {
            var now = await s.NowAsync(ct).ConfigureAwait(false);
            var expires = await s.ExpiryAsync(ct).ConfigureAwait(false);
            await using var update = s.Command(
                $"UPDATE {_s}.tasks SET lease_expires_at = @expires WHERE {HoldsLease} RETURNING resources, lock_lease_id")
                .Time("expires", expires).Text("id", attempt.TaskId).Long("epoch", attempt.Epoch).Time("now", now);
            string[]? resources = null;
            long? lockLease = null;
            await using (var reader = await update.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                if (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    resources = reader.GetFieldValue<string[]>(0);
                    lockLease = reader.NullableLong(1);
                }
            }

            if (resources is null)
            {
                await RecordRejectedAsync(s, attempt, TaskEvents.HeartbeatRejected(now, attempt.Number, attempt.Owner, attempt.Epoch), writeId, ct)
                    .ConfigureAwait(false);
                return null;
            }

            await RenewTaskLocksAsync(s, resources, lockLease, expires, ct).ConfigureAwait(false);
            return attempt with { ExpiresAt = expires };
        }, async (s, ct) =>
        {
            // Only a rejection leaves a trace; an accepted renewal is simply made again.
            var found = await RecoverWrite(writeId)(s, ct).ConfigureAwait(false);
            return found.Found ? Recovered<StoredAttempt?>.Yes(null) : Recovered<StoredAttempt?>.No;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> CompleteAsync(StoredAttempt attempt, string? result, decimal cost, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentOutOfRangeException.ThrowIfNegative(cost);
        RequireStorable(result, "The result");
        var writeId = Guid.NewGuid();
        return await RunAsync($"commit task '{attempt.TaskId}'", async (s, ct) =>
        {
            // One statement ends the run and, for a task without resources, records its success; the time comes from the
            // statement, so a commit is this one round trip and the commit's own.
            var succeeded = TaskEvents.Succeeded(default, attempt.Number, attempt.Owner, attempt.Epoch);
            await using var update = s.WithNow(s.Command(
                $"""
                WITH ended AS (
                    UPDATE {_s}.tasks SET state = 'Succeeded', result = @result, cost = cost + @cost, owner = NULL, lease_expires_at = NULL
                    WHERE {HoldsLeaseAt(s.NowSql)}
                    RETURNING resources, lock_lease_id, lock_epoch),
                recorded AS (
                    INSERT INTO {_s}.task_events (task_id, at, epoch, write_id, {OneEventColumns})
                    SELECT @id, {s.NowSql}, @epoch, @write, {OneEventValues} FROM ended WHERE cardinality(ended.resources) = 0)
                SELECT resources, lock_lease_id, lock_epoch, {s.NowSql} FROM ended
                """))
                .Text("result", result).Decimal("cost", cost).Text("id", attempt.TaskId).Long("epoch", attempt.Epoch).Uuid("write", writeId);
            WithOneEvent(update, succeeded);
            EndedRun? run = null;
            await using (var reader = await update.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                if (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    run = new EndedRun(reader.GetFieldValue<string[]>(0), reader.NullableLong(1), reader.NullableLong(2));
                    s.Observed(reader.Time(3));
                }
            }

            var now = await s.NowAsync(ct).ConfigureAwait(false);
            if (run is null)
            {
                await RecordRejectedAsync(s, attempt, TaskEvents.Rejected(now, attempt.Number, attempt.Owner, attempt.Epoch, "commit"), writeId, ct)
                    .ConfigureAwait(false);
                return false;
            }

            succeeded = succeeded with { At = now };
            if (run.Resources.Length > 0)
            {
                var released = await ReleaseTaskLocksAsync(s, run.Resources, run.LockLease, run.LockEpoch, attempt.Owner, attempt.Number, ct).ConfigureAwait(false);
                await InsertEventsAsync(s, Events(attempt.TaskId, released, succeeded), writeId, ct).ConfigureAwait(false);
            }

            s.Telemetry.CountOnCommit(attempt.Kind, succeeded);
            return true;
        }, RecoverWrite(writeId), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> FailAsync(StoredAttempt attempt, string error, decimal cost, bool permanent = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentOutOfRangeException.ThrowIfNegative(cost);
        RequireStorable(error, "The error");
        var writeId = Guid.NewGuid();
        return await RunAsync($"record the failure of task '{attempt.TaskId}'", async (s, ct) =>
        {
            var now = await s.NowAsync(ct).ConfigureAwait(false);
            if (await ReadRetryAsync(s, attempt.TaskId, ct).ConfigureAwait(false) is not { } retry)
            {
                return false; // no such task: refused, as in memory
            }

            var (retryAt, failed) = TaskEvents.Failed(now, retry, attempt.Number, attempt.Owner, attempt.Epoch, error, _jitter(), permanent);
            await using var update = s.Command(
                $"""
                UPDATE {_s}.tasks SET state = @state, due_at = @due, cost = cost + @cost, error = @error, owner = NULL, lease_expires_at = NULL
                WHERE {HoldsLease}
                RETURNING resources, lock_lease_id, lock_epoch
                """)
                .Text("state", retryAt is null ? nameof(TaskLifecycle.State.Dead) : nameof(TaskLifecycle.State.RetryScheduled))
                .Time("due", retryAt is { } due ? Sql.FloorToMicrosecond(due) : null).Decimal("cost", cost).Text("error", error)
                .Text("id", attempt.TaskId).Long("epoch", attempt.Epoch).Time("now", now);
            if (await ReadEndedRunAsync(update, ct).ConfigureAwait(false) is not { } run)
            {
                await RecordRejectedAsync(s, attempt, TaskEvents.Rejected(now, attempt.Number, attempt.Owner, attempt.Epoch, "failure"), writeId, ct)
                    .ConfigureAwait(false);
                return false;
            }

            var released = await ReleaseTaskLocksAsync(s, run.Resources, run.LockLease, run.LockEpoch, attempt.Owner, attempt.Number, ct).ConfigureAwait(false);
            await InsertEventsAsync(s, Events(attempt.TaskId, released, failed), writeId, ct).ConfigureAwait(false);
            s.Telemetry.CountOnCommit(attempt.Kind, failed);
            if (retryAt is not null)
            {
                s.Notify = "retry scheduled"; // waiting workers look up the new due time
            }

            return true;
        }, RecoverWrite(writeId), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> AbandonAsync(StoredAttempt attempt, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(reason);
        RequireStorable(reason, "The reason");
        var writeId = Guid.NewGuid();
        return await RunAsync($"hand back task '{attempt.TaskId}'", async (s, ct) =>
        {
            var now = await s.NowAsync(ct).ConfigureAwait(false);
            await using var update = s.Command(
                $"""
                UPDATE {_s}.tasks SET state = 'Queued', owner = NULL, lease_expires_at = NULL
                WHERE {HoldsLease}
                RETURNING resources, lock_lease_id, lock_epoch
                """)
                .Text("id", attempt.TaskId).Long("epoch", attempt.Epoch).Time("now", now);
            if (await ReadEndedRunAsync(update, ct).ConfigureAwait(false) is not { } run)
            {
                await RecordRejectedAsync(s, attempt, TaskEvents.Rejected(now, attempt.Number, attempt.Owner, attempt.Epoch, "hand-back"), writeId, ct)
                    .ConfigureAwait(false);
                return false;
            }

            var released = await ReleaseTaskLocksAsync(s, run.Resources, run.LockLease, run.LockEpoch, attempt.Owner, attempt.Number, ct).ConfigureAwait(false);
            await InsertEventsAsync(s, Events(attempt.TaskId, released, TaskEvents.Abandoned(now, attempt.Number, attempt.Owner, attempt.Epoch, reason)), writeId, ct)
                .ConfigureAwait(false);
            s.Notify = "handed back";
            return true;
        }, RecoverWrite(writeId), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>The event is inserted from a locked, conditional read of the task row, so no take-back or commit comes between the check and the write.</remarks>
    public async ValueTask<bool> RecordDecisionAsync(StoredAttempt attempt, Decision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(decision);
        RequireStorable(decision.Policy, "The decision's policy");
        RequireStorable(decision.Evidence, "The decision's evidence");
        RequireStorable(decision.Change, "The decision's change");
        var writeId = Guid.NewGuid();
        return await RunAsync($"record a decision of task '{attempt.TaskId}'", async (s, ct) =>
        {
            var now = await s.NowAsync(ct).ConfigureAwait(false);
            var recorded = TaskEvents.DecisionRecorded(now, attempt.Number, attempt.Owner, attempt.Epoch, decision);
            await using var insert = s.Command(
                $"""
                WITH holder AS (SELECT id FROM {_s}.tasks WHERE {HoldsLease} FOR UPDATE)
                INSERT INTO {_s}.task_events (task_id, at, epoch, write_id, {OneEventColumns})
                SELECT holder.id, @now, @epoch, @write, {OneEventValues} FROM holder
                """)
                .Text("id", attempt.TaskId).Long("epoch", attempt.Epoch).Time("now", now).Uuid("write", writeId);
            WithOneEvent(insert, recorded);
            if (await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1)
            {
                return true;
            }

            await RecordRejectedAsync(s, attempt, TaskEvents.Rejected(now, attempt.Number, attempt.Owner, attempt.Epoch, "decision"), writeId, ct)
                .ConfigureAwait(false);
            return false;
        }, RecoverWrite(writeId), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>A row whose state this version does not know is left as it is: the call returns false and logs a warning that names the row.</remarks>
    public async ValueTask<bool> CancelAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var writeId = Guid.NewGuid();
        return await RunAsync($"cancel task '{id}'", async (s, ct) =>
        {
            var now = await s.NowAsync(ct).ConfigureAwait(false);
            await using var update = s.Command(
                $"""
                UPDATE {_s}.tasks t SET state = 'Cancelled', owner = NULL, lease_expires_at = NULL, due_at = NULL
                FROM (SELECT id, state, owner FROM {_s}.tasks WHERE id = @id FOR UPDATE) before
                WHERE t.id = before.id AND t.state IN ('Queued', 'Running', 'RetryScheduled')
                RETURNING before.state, before.owner, t.attempts, t.epoch, t.resources, t.lock_lease_id, t.lock_epoch
                """).Text("id", id);
            string? wasState = null, owner = null;
            int attempts = 0;
            long epoch = 0;
            string[] resources = [];
            long? lockLease = null, lockEpoch = null;
            await using (var reader = await update.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                if (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    wasState = reader.GetString(0);
                    owner = reader.NullableText(1);
                    attempts = reader.GetInt32(2);
                    epoch = reader.GetInt64(3);
                    resources = reader.GetFieldValue<string[]>(4);
                    lockLease = reader.NullableLong(5);
                    lockEpoch = reader.NullableLong(6);
                }
            }

            if (wasState is null)
            {
                await using var check = s.Command($"SELECT state FROM {_s}.tasks WHERE id = @id").Text("id", id);
                if (await check.ExecuteScalarAsync(ct).ConfigureAwait(false) is string state && ParseState(state) is null)
                {
                    var unreadable = StoreRowException.UnknownTaskState(TasksTable, id, state);
                    Log.RowNotCancelled(_logger, unreadable.Table, unreadable.RowId, unreadable.Message);
                }

                return false;
            }

            var running = wasState == nameof(TaskLifecycle.State.Running);
            var events = new List<(string, TaskEvent)> { (id, TaskEvents.Cancelled(now, attempts, running ? epoch : 0)) };
            if (running && await ReleaseTaskLocksAsync(s, resources, lockLease, lockEpoch, owner, attempts, ct).ConfigureAwait(false) is { } released)
            {
                events.Add((id, released));
            }

            await InsertEventsAsync(s, events, writeId, ct).ConfigureAwait(false);
            return true;
        }, RecoverWrite(writeId), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One transaction: the stale running tasks are locked with <c>SKIP LOCKED</c> (a task another transaction is
    /// changing is left to it), their resource rows are locked in key order, and each is taken back by a write
    /// conditional on its epoch and stale lease. Lock rows whose lease went stale are freed too.
    /// </remarks>
    public async ValueTask<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var writeId = Guid.NewGuid();
        return await RunAsync("take back stale tasks", async (s, ct) =>
        {
            var now = await s.NowAsync(ct).ConfigureAwait(false);
            await using var select = s.Command(
                $"""
                SELECT id, attempts, epoch, owner, lease_expires_at, retry_max_attempts, retry_initial_delay_ticks, retry_multiplier,
                    retry_max_delay_ticks, retry_jitter, resources, lock_lease_id, lock_epoch, kind
                FROM {_s}.tasks WHERE state = 'Running' AND lease_expires_at < @now
                ORDER BY seq
                FOR UPDATE SKIP LOCKED
                """).Time("now", now);
            var stale = new List<StaleRun>();
            await using (var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    stale.Add(new StaleRun(
                        reader.GetString(0), reader.GetInt32(1), reader.GetInt64(2), reader.NullableText(3) ?? "", reader.Time(4),
                        new RetryPolicy
                        {
                            MaxAttempts = reader.GetInt32(5),
                            InitialDelay = TimeSpan.FromTicks(reader.GetInt64(6)),
                            Multiplier = reader.GetDouble(7),
                            MaxDelay = TimeSpan.FromTicks(reader.GetInt64(8)),
                            Jitter = reader.GetDouble(9),
                        },
                        reader.GetFieldValue<string[]>(10), reader.NullableLong(11), reader.NullableLong(12), reader.GetString(13)));
                }
            }

            // All their lock rows at once, in key order, before any is changed.
            var allKeys = SortKeys(stale.SelectMany(run => run.Resources));
            if (allKeys.Length > 0)
            {
                _ = await LockKeysAsync(s, allKeys, create: false, ct).ConfigureAwait(false);
            }

            var events = new List<(string, TaskEvent)>();
            var requeued = false;
            foreach (var run in stale)
            {
                var (queued, taken) = TaskEvents.TakenBack(now, run.Retry, Leases, run.Attempts, run.Epoch, TaskEvents.StaleLease(run.Owner, run.Epoch, run.LeaseExpiresAt));
                await using var update = s.Command(
                    $"""
                    UPDATE {_s}.tasks SET state = @state, error = CASE WHEN @dead THEN @error ELSE error END, owner = NULL, lease_expires_at = NULL
                    WHERE id = @id AND epoch = @epoch AND state = 'Running' AND lease_expires_at < @now
                    """)
                    .Text("state", queued ? nameof(TaskLifecycle.State.Queued) : nameof(TaskLifecycle.State.Dead)).Text("error", taken.Detail)
                    .Text("id", run.Id).Long("epoch", run.Epoch).Time("now", now);
                update.Parameters.AddWithValue("dead", !queued);
                if (await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
                {
                    throw new InvalidOperationException($"Task '{run.Id}' was locked as stale but its take-back matched no row.");
                }

                if (await ReleaseTaskLocksAsync(s, run.Resources, run.LockLease, run.LockEpoch, run.Owner, run.Attempts, ct).ConfigureAwait(false) is { } released)
                {
                    events.Add((run.Id, released));
                }

                events.Add((run.Id, taken));
                s.Telemetry.CountOnCommit(run.Kind, taken);
                requeued |= queued;
            }

            await InsertEventsAsync(s, events, writeId, ct).ConfigureAwait(false);
            _ = await ReleaseStaleLocksAsync(s, ct).ConfigureAwait(false);
            if (requeued)
            {
                s.Notify = "taken back";
            }

            return stale.Count;
        }, async (s, ct) =>
        {
            await using var command = s.Command(
                $"SELECT count(*) FROM {_s}.task_events WHERE write_id = @write AND kind IN ('Reclaimed', 'Dead')").Uuid("write", writeId);
            var count = (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            return count > 0 ? Recovered<int>.Yes((int)count) : Recovered<int>.No;
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<StoredTask?> ReadTaskAsync(Session s, string id, CancellationToken ct)
    {
        await using var command = s.Command($"SELECT {TaskColumns} FROM {_s}.tasks WHERE id = @id").Text("id", id);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? ReadTask(reader) : null;
    }

    /// <summary>The task's retry policy (it never changes after the task is created); null when there is no such task.</summary>
    private async Task<RetryPolicy?> ReadRetryAsync(Session s, string id, CancellationToken ct)
    {
        await using var command = s.Command(
            $"""
            SELECT retry_max_attempts, retry_initial_delay_ticks, retry_multiplier, retry_max_delay_ticks, retry_jitter
            FROM {_s}.tasks WHERE id = @id
            """).Text("id", id);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            return null;
        }

        return new RetryPolicy
        {
            MaxAttempts = reader.GetInt32(0),
            InitialDelay = TimeSpan.FromTicks(reader.GetInt64(1)),
            Multiplier = reader.GetDouble(2),
            MaxDelay = TimeSpan.FromTicks(reader.GetInt64(3)),
            Jitter = reader.GetDouble(4),
        };
    }

    /// <summary>Runs a worker's conditional end-of-run update; null when it matched no row (the write is rejected).</summary>
    private static async Task<EndedRun?> ReadEndedRunAsync(Npgsql.NpgsqlCommand update, CancellationToken ct)
    {
        await using var reader = await update.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false)
            ? new EndedRun(reader.GetFieldValue<string[]>(0), reader.NullableLong(1), reader.NullableLong(2))
            : null;
    }

    private static List<(string, TaskEvent)> Events(string taskId, TaskEvent? released, TaskEvent ended) =>
        released is null ? [(taskId, ended)] : [(taskId, released), (taskId, ended)];

    /// <summary>What an ended run held: its resources and the lock lease it held them under.</summary>
    private sealed record EndedRun(string[] Resources, long? LockLease, long? LockEpoch);

    /// <summary>A running task whose lease went stale, as the sweep read it.</summary>
    private sealed record StaleRun(
        string Id, int Attempts, long Epoch, string Owner, DateTimeOffset LeaseExpiresAt, RetryPolicy Retry, string[] Resources, long? LockLease, long? LockEpoch, string Kind);
}
