using System.Globalization;
using static Weaver.Sqlite.SqliteRows;

namespace Weaver.Sqlite;

public sealed partial class SqliteWeaverStore
{
    /// <summary>
    /// The fence of every attempt's write: the task still runs this attempt (its epoch and owner) and the lease is live
    /// by the transaction's clock. Parameters: <c>$id</c>, <c>$epoch</c>, <c>$owner</c>, <c>$now</c>.
    /// </summary>
    private const string Fence = "id = $id AND epoch = $epoch AND owner = $owner AND state = 'Running' AND lease_expires_at >= $now";

    /// <summary>The most distinct kinds one claim may name: each is bound as its own parameter.</summary>
    private const int MaxKindsPerClaim = 1000;

    private const string InsertEventSql = """
        INSERT INTO task_events (task_id, at, kind, attempt, owner, epoch, detail, decision_policy, decision_evidence, decision_change, outcome)
        VALUES ($ev_task, $ev_at, $ev_kind, $ev_attempt, $ev_owner, $ev_epoch, $ev_detail, $ev_policy, $ev_evidence, $ev_change, $ev_outcome)
        """;

    /// <summary>A rejected write's event: recorded when the task exists (a write for an unknown task has no history to go to).</summary>
    private const string InsertEventIfTaskExistsSql = """
        INSERT INTO task_events (task_id, at, kind, attempt, owner, epoch, detail, decision_policy, decision_evidence, decision_change, outcome)
        SELECT $ev_task, $ev_at, $ev_kind, $ev_attempt, $ev_owner, $ev_epoch, $ev_detail, $ev_policy, $ev_evidence, $ev_change, $ev_outcome
        WHERE EXISTS (SELECT 1 FROM tasks WHERE id = $ev_task)
        """;

    /// <inheritdoc />
    public async ValueTask<StoredTask> CreateTaskAsync(NewTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.Resources is null)
        {
            throw new ArgumentException($"Task '{task.Id}': its resources are null; pass an empty list for a task that locks nothing.", nameof(task));
        }

        task = task.Validate().WithCurrentTraceContext();
        if (task.Job is { } given && (given.JobId.Value is null || given.TaskId is null))
        {
            throw new ArgumentException(
                $"Task '{task.Id}': its job reference is empty (default); pass new JobTaskRef(jobId, taskId), or null for a task that belongs to no job.",
                nameof(task));
        }

        var resources = task.Resources.Select(raw => ResourceKey.Normalize(raw, ResourceKeyCase.Sensitive).Value).Distinct(StringComparer.Ordinal).ToArray();
        var stored = await WriteAsync("creating a task", session => Create(session, task, resources), cancellationToken).ConfigureAwait(false);
        SignalWork();
        return stored;
    }

    /// <inheritdoc />
    public async ValueTask<StoredTask?> GetTaskAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return await ReadAsync(
            "reading a task",
            session =>
            {
                var row = session.QuerySingle($"SELECT {TaskColumns} FROM tasks WHERE id = $id", ReadTask, ("$id", id));
                return row is null ? null : ToStoredTask(row, ResourcesOf(session, id));
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<StoredTask>> ListTasksAsync(TaskLifecycle.State? state = null, CancellationToken cancellationToken = default)
    {
        if (state is { } wanted && !Enum.IsDefined(wanted))
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, $"state must be a TaskLifecycle.State ({string.Join(", ", Enum.GetNames<TaskLifecycle.State>())}) or null for all tasks.");
        }

        var (tasks, skipped) = await ReadAsync(
            "listing tasks",
            session =>
            {
                var filter = state is null ? "" : " WHERE state = $state";
                object? stateName = state is { } s ? Name(s) : null;
                var rows = session.Query($"SELECT {TaskColumns} FROM tasks{filter}", TryReadTask, ("$state", stateName));
                var resources = session
                    .Query(
                        $"SELECT task_id, resource FROM task_resources WHERE task_id IN (SELECT id FROM tasks{filter}) ORDER BY task_id, position",
                        reader => (Task: reader.GetString(0), Resource: reader.GetString(1)),
                        ("$state", stateName))
                    .GroupBy(pair => pair.Task, StringComparer.Ordinal)
                    .ToDictionary(group => group.Key, group => (IReadOnlyList<string>)[.. group.Select(pair => pair.Resource)], StringComparer.Ordinal);
                var tasks = new List<StoredTask>();
                var skipped = new List<StoreRowException>();
                foreach (var (_, row, error) in rows)
                {
                    try
                    {
                        tasks.Add(ToStoredTask(row ?? throw error!, resources.GetValueOrDefault(row.Id, [])));
                    }
                    catch (StoreRowException unreadable)
                    {
                        skipped.Add(unreadable);
                    }
                }

                return (tasks, skipped);
            },
            cancellationToken).ConfigureAwait(false);
        LogSkipped(skipped, "listing tasks");
        tasks.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return tasks;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<TaskEvent>> GetHistoryAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return await ReadAsync(
            "reading a task's history",
            session => session.Query($"SELECT {EventColumns} FROM task_events WHERE task_id = $id ORDER BY seq", reader => ReadEvent(reader, id), ("$id", id)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<StoredAttempt>> ClaimAsync(string owner, int max, IReadOnlyCollection<string> kinds, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(owner))
        {
            throw new ArgumentException("The owner is null or empty; pass the id of the worker that claims.", nameof(owner));
        }

        if (max < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, $"max must be 1 or more (how many tasks to claim at most); it is {max}.");
        }

        if (kinds is null || kinds.Count == 0)
        {
            throw new ArgumentException("kinds must name at least one task kind (the kinds the worker can run); it is empty.", nameof(kinds));
        }

        if (kinds.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"kinds must name task kinds; one of them is null, empty or white space (kinds: {string.Join(", ", kinds.Select(k => $"'{k}'"))}).", nameof(kinds));
        }

        var wanted = kinds.Distinct(StringComparer.Ordinal).ToArray();
        if (wanted.Length > MaxKindsPerClaim)
        {
            throw new ArgumentException(
                $"A claim names at most {MaxKindsPerClaim} distinct kinds (each is one SQL parameter); it names {wanted.Length}.", nameof(kinds));
        }

        var (claimed, skipped) = await WriteAsync("claiming tasks", session => Claim(session, owner, max, wanted), cancellationToken).ConfigureAwait(false);
        LogSkipped(skipped, "claiming tasks");
        return claimed;
    }

    /// <inheritdoc />
    public async ValueTask<StoredAttempt?> RenewAsync(StoredAttempt attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return await WriteAsync(
            "renewing a lease",
            session =>
            {
                // The lease and the attempt's resource locks (if any) are renewed together, or neither: a lease whose locks
                // were released behind its back is lost, as in the in-memory store.
                var expires = session.NowTicks + Leases.StaleAfter.Ticks;
                if (FencedRow(session, attempt) is not { } row || !HoldsItsLocks(session, row))
                {
                    InsertRejected(session, attempt, TaskEvents.HeartbeatRejected(session.Now, attempt.Number, attempt.Owner, attempt.Epoch));
                    return null;
                }

                RequireOneRow(
                    session.Execute($"UPDATE tasks SET lease_expires_at = $expires WHERE {Fence}", [.. FenceParameters(session, attempt), ("$expires", expires)]),
                    attempt);
                session.Execute(
                    "UPDATE resource_locks SET expires_at = $expires WHERE task_id = $id AND epoch = $lockEpoch",
                    ("$id", attempt.TaskId),
                    ("$lockEpoch", row.LockEpoch),
                    ("$expires", expires));
                return attempt with { ExpiresAt = Instant(TasksTable, attempt.TaskId, expires, "lease_expires_at") };
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> CompleteAsync(StoredAttempt attempt, string? result, decimal cost, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentOutOfRangeException.ThrowIfNegative(cost);
        var (accepted, freed) = await WriteAsync(
            "committing a result",
            session =>
            {
                if (FencedRow(session, attempt) is not { } row)
                {
                    return Rejected(session, attempt, "commit");
                }

                var total = CostOf(row) + cost;
                RequireOneRow(
                    session.Execute(
                        $"UPDATE tasks SET state = 'Succeeded', result = $result, cost = $cost, owner = NULL, lease_expires_at = NULL, lock_epoch = NULL WHERE {Fence}",
                        [.. FenceParameters(session, attempt), ("$result", result), ("$cost", CostText(total))]),
                    attempt);
                var freed = ReleaseTaskLocks(session, row);
                InsertEvent(session, attempt.TaskId, attempt.Kind, TaskEvents.Succeeded(session.Now, attempt.Number, attempt.Owner, attempt.Epoch));
                return (true, freed);
            },
            cancellationToken).ConfigureAwait(false);
        SignalIf(freed);
        return accepted;
    }

    /// <inheritdoc />
    public async ValueTask<bool> FailAsync(StoredAttempt attempt, string error, decimal cost, bool permanent = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentOutOfRangeException.ThrowIfNegative(cost);
        var (accepted, freed, retryAt) = await WriteAsync<(bool, bool, DateTimeOffset?)>(
            "recording a failure",
            session =>
            {
                if (FencedRow(session, attempt) is not { } row)
                {
                    var (rejected, none) = Rejected(session, attempt, "failure");
                    return (rejected, none, null);
                }

                var total = CostOf(row) + cost;
                var (retryAt, failed) = TaskEvents.Failed(
                    session.Now, RetryOf(row), ToInt32(row, row.Attempts, "attempts"), attempt.Owner, attempt.Epoch, error, NextJitter(), permanent);
                RequireOneRow(
                    session.Execute(
                        $"UPDATE tasks SET state = $state, due_at = $due, error = $error, cost = $cost, owner = NULL, lease_expires_at = NULL, lock_epoch = NULL WHERE {Fence}",
                        [
                            .. FenceParameters(session, attempt),
                            ("$state", Name(retryAt is null ? TaskLifecycle.State.Dead : TaskLifecycle.State.RetryScheduled)),
                            ("$due", retryAt?.UtcTicks),
                            ("$error", error),
                            ("$cost", CostText(total)),
                        ]),
                    attempt);
                var freed = ReleaseTaskLocks(session, row);
                InsertEvent(session, attempt.TaskId, attempt.Kind, failed);
                return (true, freed, retryAt);
            },
            cancellationToken).ConfigureAwait(false);
        if (retryAt is { } due)
        {
            RememberRetry(due);
        }

        SignalIf(freed);
        return accepted;
    }

    /// <inheritdoc />
    public async ValueTask<bool> AbandonAsync(StoredAttempt attempt, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(reason);
        var (accepted, _) = await WriteAsync(
            "handing an attempt back",
            session =>
            {
                if (FencedRow(session, attempt) is not { } row)
                {
                    return Rejected(session, attempt, "hand-back");
                }

                RequireOneRow(
                    session.Execute(
                        $"UPDATE tasks SET state = 'Queued', owner = NULL, lease_expires_at = NULL, lock_epoch = NULL WHERE {Fence}",
                        FenceParameters(session, attempt)),
                    attempt);
                var freed = ReleaseTaskLocks(session, row);
                InsertEvent(session, attempt.TaskId, TaskEvents.Abandoned(session.Now, attempt.Number, attempt.Owner, attempt.Epoch, reason));
                return (true, freed);
            },
            cancellationToken).ConfigureAwait(false);
        SignalIf(accepted);
        return accepted;
    }

    /// <inheritdoc />
    public async ValueTask<bool> RecordDecisionAsync(StoredAttempt attempt, Decision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(decision);
        return await WriteAsync(
            "recording a decision",
            session =>
            {
                // One conditional write: the event is inserted only while the attempt holds the live lease.
                var recorded = TaskEvents.DecisionRecorded(session.Now, attempt.Number, attempt.Owner, attempt.Epoch, decision);
                var inserted = session.Execute(
                    $"""
                    INSERT INTO task_events (task_id, at, kind, attempt, owner, epoch, detail, decision_policy, decision_evidence, decision_change, outcome)
                    SELECT $ev_task, $ev_at, $ev_kind, $ev_attempt, $ev_owner, $ev_epoch, $ev_detail, $ev_policy, $ev_evidence, $ev_change, $ev_outcome
                    WHERE EXISTS (SELECT 1 FROM tasks WHERE {Fence})
                    """,
                    [.. EventParameters(attempt.TaskId, recorded), .. FenceParameters(session, attempt)]);
                if (inserted == 1)
                {
                    return true;
                }

                InsertRejected(session, attempt, TaskEvents.Rejected(session.Now, attempt.Number, attempt.Owner, attempt.Epoch, "decision"));
                return false;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> CancelAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var (cancelled, freed, unreadable) = await WriteAsync<(bool, bool, StoreRowException?)>(
            "cancelling a task",
            session =>
            {
                var (_, row, error) = session.QuerySingle($"SELECT {TaskColumns} FROM tasks WHERE id = $id", TryReadTask, ("$id", id));
                if (row is null && error is null)
                {
                    return (false, false, null); // no such task
                }

                // A row this version cannot read is not a task it can cancel: it is left as it is, and logged.
                TaskLifecycle.State state;
                try
                {
                    row = row ?? throw error!;
                    state = StateOf(row);
                }
                catch (StoreRowException unknown)
                {
                    return (false, false, unknown);
                }

                if (TaskLifecycle.IsTerminalState(state))
                {
                    return (false, false, null);
                }

                var changed = session.Execute(
                    "UPDATE tasks SET state = 'Cancelled', owner = NULL, lease_expires_at = NULL, due_at = NULL, lock_epoch = NULL WHERE id = $id AND state = $state AND epoch = $epoch",
                    ("$id", id),
                    ("$state", row.State),
                    ("$epoch", row.Epoch));
                if (changed != 1)
                {
                    throw new InvalidOperationException($"Task '{id}' changed inside a write transaction of the SQLite store '{DataSource}'; nothing was cancelled.");
                }

                var runningEpoch = state == TaskLifecycle.State.Running ? row.Epoch : 0;
                InsertEvent(session, id, TaskEvents.Cancelled(session.Now, ToInt32(row, row.Attempts, "attempts"), runningEpoch));
                return (true, ReleaseTaskLocks(session, row), null);
            },
            cancellationToken).ConfigureAwait(false);
        LogSkipped(unreadable is null ? [] : [unreadable], "cancelling a task");
        SignalIf(freed);
        return cancelled;
    }

    /// <inheritdoc />
    public async ValueTask<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var (takenBack, wake, skipped) = await WriteAsync(
            "sweeping stale leases",
            session =>
            {
                var count = 0;
                var wake = false;
                var skipped = new List<StoreRowException>();
                var stale = session.Query(
                    $"SELECT {TaskColumns} FROM tasks WHERE state = 'Running' AND lease_expires_at < $now ORDER BY seq", TryReadTask, ("$now", session.NowTicks));
                foreach (var (_, row, unreadable) in stale)
                {
                    try
                    {
                        wake |= TakeBack(session, row ?? throw unreadable!);
                        count++;
                    }
                    catch (StoreRowException error)
                    {
                        skipped.Add(error);
                    }
                }

                // Locks whose holder went stale without its task being taken back here (a standalone lock, say).
                var freed = session.Execute(
                    "UPDATE resource_locks SET task_id = NULL, owner = NULL, expires_at = NULL WHERE task_id IS NOT NULL AND expires_at < $now",
                    ("$now", session.NowTicks));
                return (count, wake || freed > 0, skipped);
            },
            cancellationToken).ConfigureAwait(false);
        LogSkipped(skipped, "sweeping stale leases");
        SignalIf(wake);
        return takenBack;
    }

    private static StoredTask Create(SqliteSession session, NewTask task, IReadOnlyList<string> resources)
    {
        var inserted = session.Execute(
            """
            INSERT INTO tasks (id, kind, state, input, attempts, epoch, cost, retry_max_attempts, retry_initial_delay, retry_multiplier,
                               retry_max_delay, retry_jitter, job_id, job_task_id, created_at, trace_parent, trace_state)
            VALUES ($id, $kind, 'Queued', $input, 0, 0, '0', $maxAttempts, $initialDelay, $multiplier, $maxDelay, $jitter, $jobId, $jobTaskId, $now,
                    $traceParent, $traceState)
            ON CONFLICT (id) DO NOTHING
            """,
            ("$id", task.Id),
            ("$kind", task.Kind),
            ("$input", task.Input),
            ("$maxAttempts", task.Retry.MaxAttempts),
            ("$initialDelay", task.Retry.InitialDelay.Ticks),
            ("$multiplier", task.Retry.Multiplier),
            ("$maxDelay", task.Retry.MaxDelay.Ticks),
            ("$jitter", task.Retry.Jitter),
            ("$jobId", task.Job?.JobId.Value),
            ("$jobTaskId", task.Job?.TaskId),
            ("$now", session.NowTicks),
            ("$traceParent", task.TraceParent),
            ("$traceState", task.TraceState));
        if (inserted == 0)
        {
            throw new DuplicateTaskException(task.Id);
        }

        for (var position = 0; position < resources.Count; position++)
        {
            session.Execute(
                "INSERT INTO task_resources (task_id, position, resource) VALUES ($id, $position, $resource)",
                ("$id", task.Id),
                ("$position", position),
                ("$resource", resources[position]));
        }

        InsertEvent(session, task.Id, TaskEvents.Submitted(session.Now, task.Kind));
        return new StoredTask(
            task.Id, task.Kind, TaskLifecycle.State.Queued, task.Input, 0, task.Retry, 0, null, null, null, null, null, 0m, session.Now)
        {
            Resources = resources,
            Job = task.Job,
            TraceParent = task.TraceParent,
            TraceState = task.TraceState,
        };
    }

    private (List<StoredAttempt> Claimed, List<StoreRowException> Skipped) Claim(SqliteSession session, string owner, int max, string[] kinds)
    {
        var claimed = new List<StoredAttempt>();
        var skipped = new List<StoreRowException>();
        var expires = session.NowTicks + Leases.StaleAfter.Ticks;

        // Kinds are bound as parameters $kind0, $kind1, ...: only their count shapes the SQL text.
        var kindNames = kinds.Select((_, index) => string.Create(CultureInfo.InvariantCulture, $"$kind{index}")).ToArray();
        var sql = $"""
            SELECT {TaskColumns} FROM tasks
            WHERE kind IN ({string.Join(", ", kindNames)})
              AND (state = 'Queued' OR (state = 'RetryScheduled' AND due_at <= $now))
              AND seq > $after
            ORDER BY seq, id
            LIMIT $page
            """;
        var page = Math.Min(Math.Max(max, 16) * 2, 1000);
        long after = 0;
        while (claimed.Count < max)
        {
            var candidates = session.Query(
                sql,
                TryReadTask,
                [.. kinds.Select((kind, index) => (kindNames[index], (object?)kind)), ("$now", session.NowTicks), ("$after", after), ("$page", page)]);
            foreach (var (seq, row, unreadable) in candidates)
            {
                if (claimed.Count == max)
                {
                    break;
                }

                after = seq;
                try
                {
                    if (TryStart(session, row ?? throw unreadable!, owner, expires) is { } attempt)
                    {
                        claimed.Add(attempt);
                    }
                }
                catch (StoreRowException error)
                {
                    skipped.Add(error);
                }
            }

            if (candidates.Count < page)
            {
                break;
            }
        }

        return (claimed, skipped);
    }

    /// <summary>Starts an attempt of a candidate, if all of its resources can be acquired now; otherwise leaves it as it was.</summary>
    private StoredAttempt? TryStart(SqliteSession session, TaskRow row, string owner, long expires)
    {
        // Everything that can make the row unreadable is read before anything is written.
        var job = JobOf(row);
        var resources = ResourcesOf(session, row.Id);
        long? lockEpoch = null;
        var keys = LeaseKeys(resources);
        if (keys.Count > 0)
        {
            var locked = TryAcquire(session, row.Id, owner, keys, expires);
            if (!locked.Acquired)
            {
                return null;
            }

            lockEpoch = locked.Lease.Epoch;
        }

        var started = session.QuerySingle(
            """
            UPDATE tasks SET state = 'Running', attempts = attempts + 1, epoch = epoch + 1, owner = $owner, lease_expires_at = $expires,
                             due_at = NULL, lock_epoch = $lockEpoch
            WHERE seq = $seq AND (state = 'Queued' OR (state = 'RetryScheduled' AND due_at <= $now))
            RETURNING attempts, epoch
            """,
            reader => ((long Attempts, long Epoch)?)(reader.GetInt64(0), reader.GetInt64(1)),
            ("$owner", owner),
            ("$expires", expires),
            ("$lockEpoch", lockEpoch),
            ("$seq", row.Seq),
            ("$now", session.NowTicks));
        if (started is null)
        {
            throw new InvalidOperationException($"Task '{row.Id}' changed inside a write transaction of the SQLite store '{DataSource}'; it was not claimed.");
        }

        var (attempts, epoch) = started.Value;
        var number = ToInt32(row, attempts, "attempts");
        if (lockEpoch is { } acquired)
        {
            InsertEvent(session, row.Id, new TaskEvent(session.Now, TaskEventKind.ResourcesAcquired, number, owner, acquired, $"Acquired {Describe(keys)}."));
        }

        InsertEvent(session, row.Id, row.Kind, TaskEvents.AttemptStarted(session.Now, number, owner, epoch));
        return new StoredAttempt(row.Id, row.Kind, row.Input, number, owner, epoch, Instant(row, expires, "lease_expires_at"))
        {
            Resources = resources,
            Job = job,
            TraceParent = row.TraceParent,
            TraceState = row.TraceState,
        };
    }

    /// <summary>Takes a stale running task back: queued again, or dead when no attempts are left. Returns whether it was queued.</summary>
    private bool TakeBack(SqliteSession session, TaskRow row)
    {
        var retry = RetryOf(row);
        var attempts = ToInt32(row, row.Attempts, "attempts");
        var expiredAt = Instant(row, row.LeaseExpiresAt ?? throw new StoreRowException(TasksTable, row.Id, "it is Running but its column 'lease_expires_at' is NULL."), "lease_expires_at");
        var (requeued, taken) = TaskEvents.TakenBack(
            session.Now, retry, Leases, attempts, row.Epoch, TaskEvents.StaleLease(row.Owner ?? "", row.Epoch, expiredAt));
        var changed = session.Execute(
            """
            UPDATE tasks SET state = $state, error = CASE WHEN $dead THEN $error ELSE error END, owner = NULL, lease_expires_at = NULL, lock_epoch = NULL
            WHERE id = $id AND epoch = $epoch AND state = 'Running' AND lease_expires_at < $now
            """,
            ("$state", Name(requeued ? TaskLifecycle.State.Queued : TaskLifecycle.State.Dead)),
            ("$dead", !requeued),
            ("$error", taken.Detail),
            ("$id", row.Id),
            ("$epoch", row.Epoch),
            ("$now", session.NowTicks));
        if (changed != 1)
        {
            throw new InvalidOperationException($"Task '{row.Id}' changed inside a write transaction of the SQLite store '{DataSource}'; it was not taken back.");
        }

        ReleaseTaskLocks(session, row);
        InsertEvent(session, row.Id, row.Kind, taken);
        return requeued;
    }

    /// <summary>
    /// Frees the resource locks of the attempt that just ended (the task's <c>lock_epoch</c>), with the engine's event:
    /// "Released ..." while they were live, or that they were already gone when they went stale first.
    /// </summary>
    /// <returns>Whether the task held locks (so others may now claim).</returns>
    private static bool ReleaseTaskLocks(SqliteSession session, TaskRow row)
    {
        if (row.LockEpoch is not { } lockEpoch)
        {
            return false;
        }

        var keys = LeaseKeys(ResourcesOf(session, row.Id));
        var held = session.Query(
            "SELECT expires_at FROM resource_locks WHERE task_id = $id AND epoch = $epoch",
            reader => reader.GetInt64(0),
            ("$id", row.Id),
            ("$epoch", lockEpoch));
        var live = held.Count == keys.Count && held.All(expiresAt => expiresAt >= session.NowTicks);
        session.Execute(
            "UPDATE resource_locks SET task_id = NULL, owner = NULL, expires_at = NULL WHERE task_id = $id AND epoch = $epoch",
            ("$id", row.Id),
            ("$epoch", lockEpoch));
        InsertEvent(session, row.Id, new TaskEvent(
            session.Now,
            TaskEventKind.ResourcesReleased,
            ToInt32(row, row.Attempts, "attempts"),
            row.Owner,
            lockEpoch,
            live
                ? $"Released {Describe(keys)}."
                : string.Create(CultureInfo.InvariantCulture, $"The locks on {Describe(keys)} (epoch {lockEpoch}) were already gone: they went stale.")));
        return true;
    }

    /// <summary>Whether the running attempt still holds every one of its resource locks, live; true when it has none.</summary>
    private static bool HoldsItsLocks(SqliteSession session, TaskRow row)
    {
        if (row.LockEpoch is not { } lockEpoch)
        {
            return true;
        }

        var live = session.QuerySingle(
            "SELECT COUNT(*) FROM resource_locks WHERE task_id = $id AND epoch = $epoch AND expires_at >= $now",
            reader => reader.GetInt64(0),
            ("$id", row.Id),
            ("$epoch", lockEpoch),
            ("$now", session.NowTicks));
        return live == LeaseKeys(ResourcesOf(session, row.Id)).Count;
    }

    /// <summary>The running attempt's row, if the attempt still holds the task's live lease.</summary>
    private static TaskRow? FencedRow(SqliteSession session, StoredAttempt attempt) =>
        session.QuerySingle($"SELECT {TaskColumns} FROM tasks WHERE {Fence}", ReadTask, FenceParameters(session, attempt));

    private static (string, object?)[] FenceParameters(SqliteSession session, StoredAttempt attempt) =>
        [("$id", attempt.TaskId), ("$epoch", attempt.Epoch), ("$owner", attempt.Owner), ("$now", session.NowTicks)];

    /// <summary>A write under a lost lease: recorded as rejected, in the same transaction, and nothing else changes.</summary>
    private static (bool Accepted, bool Freed) Rejected(SqliteSession session, StoredAttempt attempt, string operation)
    {
        InsertRejected(session, attempt, TaskEvents.Rejected(session.Now, attempt.Number, attempt.Owner, attempt.Epoch, operation));
        return (false, false);
    }

    private void RequireOneRow(int changed, StoredAttempt attempt)
    {
        // The fenced row was read in this write transaction, which holds the file's write lock: nothing can change it.
        if (changed != 1)
        {
            throw new InvalidOperationException(
                $"Task '{attempt.TaskId}' changed inside a write transaction of the SQLite store '{DataSource}'; the write of epoch {attempt.Epoch} was rolled back.");
        }
    }

    private static void InsertEvent(SqliteSession session, string taskId, TaskEvent taskEvent) =>
        session.Execute(InsertEventSql, EventParameters(taskId, taskEvent));

    /// <summary>Inserts an event that <see cref="StoreTelemetry"/> counts, once the transaction commits.</summary>
    private static void InsertEvent(SqliteSession session, string taskId, string kind, TaskEvent taskEvent)
    {
        InsertEvent(session, taskId, taskEvent);
        session.Telemetry.CountOnCommit(kind, taskEvent);
    }

    /// <summary>Records a rejected write of <paramref name="attempt"/>, and counts it once the transaction commits.</summary>
    private static void InsertRejected(SqliteSession session, StoredAttempt attempt, TaskEvent taskEvent)
    {
        session.Execute(InsertEventIfTaskExistsSql, EventParameters(attempt.TaskId, taskEvent));
        session.Telemetry.CountOnCommit(attempt.Kind, taskEvent);
    }

    private static IReadOnlyList<string> ResourcesOf(SqliteSession session, string taskId) =>
        session.Query("SELECT resource FROM task_resources WHERE task_id = $id ORDER BY position", reader => reader.GetString(0), ("$id", taskId));

    /// <summary>A task's resources as a lock lease holds them: normalized, distinct, in ordinal order.</summary>
    private static IReadOnlyList<ResourceKey> LeaseKeys(IEnumerable<string> resources) =>
        [.. resources.Select(resource => ResourceKey.Normalize(resource, ResourceKeyCase.Sensitive)).Distinct().Order()];

    private static string Describe(IEnumerable<ResourceKey> keys) => string.Join(", ", keys.Select(key => $"'{key.Value}'"));

    /// <summary>Reads a task row, or keeps the error that names it so that a list can skip it.</summary>
    private static (long Seq, TaskRow? Row, StoreRowException? Error) TryReadTask(Microsoft.Data.Sqlite.SqliteDataReader reader)
    {
        // seq is the INTEGER PRIMARY KEY (the rowid): always an integer, even in a row that cannot be read otherwise.
        var seq = reader.GetInt64(0);
        try
        {
            return (seq, ReadTask(reader), null);
        }
        catch (StoreRowException error)
        {
            return (seq, null, error);
        }
    }

    private double NextJitter()
    {
        var jitter = _jitter();
        return jitter is >= 0 and < 1
            ? jitter
            : throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"SqliteStoreOptions.JitterSource returned {jitter}; it must return a number in [0, 1), such as Random.NextDouble() does."));
    }

    private void SignalIf(bool wake)
    {
        if (wake)
        {
            SignalWork();
        }
    }

    private void LogSkipped(List<StoreRowException> skipped, string operation)
    {
        foreach (var error in skipped)
        {
            Log.SkippedRow(_logger, error.Table, error.RowId, DataSource, operation, error.Message);
        }
    }
}
