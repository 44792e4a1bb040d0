using System.Collections.Concurrent;

namespace Weaver;

// The engine as the in-memory IWeaverStore: see the remarks on the class (TaskEngine.cs).
public sealed partial class TaskEngine : IWeaverStore
{
    private readonly ConcurrentDictionary<string, TaskRecord> _setAside = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string JobId, string TaskId), List<ArtifactRef>> _artifactRows = new();
    private InMemoryJobTable? _jobs;

    private InMemoryJobTable Jobs => LazyInitializer.EnsureInitialized(ref _jobs, () => new InMemoryJobTable(_time));

    LeaseOptions IWeaverStore.Leases => Claims.Options;

    ValueTask<DateTimeOffset> IWeaverStore.NowAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_time.GetUtcNow());
    }

    ValueTask<StoredTask> IWeaverStore.CreateTaskAsync(NewTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        task = task.Validate().WithCurrentTraceContext();
        var record = NewRecord(task.Id, task.Kind, task.Input, task.Retry, task.Resources, task.Job, task.TraceParent, task.TraceState);
        if (!TryAdd(record))
        {
            throw new DuplicateTaskException(task.Id);
        }

        return ValueTask.FromResult(View(record));
    }

    ValueTask<StoredTask?> IWeaverStore.GetTaskAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_records.TryGetValue(id, out var record) ? View(record) : null);
    }

    ValueTask<IReadOnlyList<StoredTask>> IWeaverStore.ListTasksAsync(TaskLifecycle.State? state, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<StoredTask> tasks =
        [
            .. _records.Values.Select(View).Where(task => state is null || task.State == state).OrderBy(task => task.Id, StringComparer.Ordinal),
        ];
        return ValueTask.FromResult(tasks);
    }

    ValueTask<IReadOnlyList<TaskEvent>> IWeaverStore.GetHistoryAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(TryGet(id, out var task) ? task.History : []);
    }

    ValueTask<IReadOnlyList<StoredAttempt>> IWeaverStore.ClaimAsync(string owner, int max, IReadOnlyCollection<string> kinds, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(owner))
        {
            throw new ArgumentException("The owner is null or empty; pass the id of the worker that claims.", nameof(owner));
        }

        if (max < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, $"A claim takes at most max tasks, and max must be 1 or more; it is {max}.");
        }

        if (kinds is null || kinds.Count == 0)
        {
            throw new ArgumentException("No kinds were given; pass at least one task kind the worker can run.", nameof(kinds));
        }

        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var wanted = kinds.ToHashSet(StringComparer.Ordinal);

        // The candidates: every ready id (drained, so this claim alone tries them) and every task set aside for its resources.
        var queued = new HashSet<string>(StringComparer.Ordinal);
        var candidates = new Dictionary<string, TaskRecord>(StringComparer.Ordinal);
        while (Queue.TryDequeue(out var id))
        {
            if (_records.TryGetValue(id, out var record) && candidates.TryAdd(id, record))
            {
                queued.Add(id);
            }
        }

        foreach (var (id, record) in _setAside)
        {
            candidates.TryAdd(id, record);
        }

        var claimed = new List<StoredAttempt>();
        var requeue = new List<string>();
        foreach (var record in candidates.Values.OrderBy(record => record.Sequence))
        {
            var fromQueue = queued.Contains(record.Id);
            if (claimed.Count == max || !wanted.Contains(record.Kind))
            {
                if (fromQueue)
                {
                    requeue.Add(record.Id); // untried: it keeps waiting where it was
                }

                continue;
            }

            switch (TryStartForStore(record, owner, out var attempt, out var conflicts))
            {
                case StoreStart.Started:
                    _setAside.TryRemove(record.Id, out _);
                    claimed.Add(attempt!);
                    break;
                case StoreStart.Blocked when fromQueue:
                    // Set aside (every claim still tries it) until a resource is freed; then queued again, which wakes
                    // WaitForWorkAsync. A task only set aside already has such a wait pending.
                    _setAside[record.Id] = record;
                    _ = RequeueWhenFreedAsync(record.Id, conflicts!);
                    break;
                case StoreStart.Blocked:
                    break;
                default:
                    _setAside.TryRemove(record.Id, out _); // cancelled, or started by someone else: nothing to run
                    break;
            }
        }

        foreach (var id in requeue)
        {
            Queue.Enqueue(id);
        }

        return ValueTask.FromResult<IReadOnlyList<StoredAttempt>>(claimed);
    }

    async ValueTask IWeaverStore.WaitForWorkAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        if (maxWait < TimeSpan.Zero && maxWait != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(maxWait), maxWait, $"maxWait must be zero or more, or Timeout.InfiniteTimeSpan; it is {maxWait}.");
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ready = Queue.WaitForReadyAsync(stop.Token);
        var timeout = Task.Delay(maxWait, _time, stop.Token);
        var first = await Task.WhenAny(ready, timeout).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        await first.ConfigureAwait(false); // a disposed queue's failure surfaces here
    }

    ValueTask<StoredAttempt?> IWeaverStore.RenewAsync(StoredAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_records.TryGetValue(attempt.TaskId, out var record))
        {
            return ValueTask.FromResult<StoredAttempt?>(null);
        }

        var lease = attempt.Lease;
        lock (record.Gate)
        {
            if (record.RunEpoch == lease.Epoch
                && record.Lifecycle.Current == TaskLifecycle.State.Running
                && Claims.IsCurrent(lease)
                && TryRenewHeldResources(record)
                && Claims.TryRenew(lease, out var renewed))
            {
                record.LatestLease = renewed;
                return ValueTask.FromResult<StoredAttempt?>(attempt with { ExpiresAt = renewed.ExpiresAt });
            }

            record.Record(TaskEvents.HeartbeatRejected(_time.GetUtcNow(), attempt.Number, attempt.Owner, attempt.Epoch));
            return ValueTask.FromResult<StoredAttempt?>(null);
        }
    }

    ValueTask<bool> IWeaverStore.CompleteAsync(StoredAttempt attempt, string? result, decimal cost, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentOutOfRangeException.ThrowIfNegative(cost);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_records.ContainsKey(attempt.TaskId) && TryComplete(ToTaskAttempt(attempt), result, cost));
    }

    ValueTask<bool> IWeaverStore.FailAsync(StoredAttempt attempt, string error, decimal cost, bool permanent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentOutOfRangeException.ThrowIfNegative(cost);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_records.ContainsKey(attempt.TaskId) && TryFail(ToTaskAttempt(attempt), error, cost, permanent));
    }

    ValueTask<bool> IWeaverStore.AbandonAsync(StoredAttempt attempt, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(reason);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_records.ContainsKey(attempt.TaskId) && TryAbandon(ToTaskAttempt(attempt), reason));
    }

    ValueTask<bool> IWeaverStore.RecordDecisionAsync(StoredAttempt attempt, Decision decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(decision);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_records.ContainsKey(attempt.TaskId) && TryRecordDecision(ToTaskAttempt(attempt), decision));
    }

    ValueTask<bool> IWeaverStore.CancelAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_records.ContainsKey(id) && TryCancel(id));
    }

    ValueTask<int> IWeaverStore.SweepAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Sweep());
    }

    ValueTask<ResourceLockResult> IWeaverStore.TryAcquireLocksAsync(string taskId, string owner, IReadOnlyCollection<string> resources, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Locks.TryAcquire(taskId, owner, resources));
    }

    ValueTask<ResourceLease?> IWeaverStore.RenewLocksAsync(ResourceLease lease, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Locks.TryRenew(lease, out var renewed) ? renewed : null);
    }

    ValueTask<bool> IWeaverStore.ReleaseLocksAsync(ResourceLease lease, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Locks.TryRelease(lease));
    }

    ValueTask<IReadOnlyList<ResourceLease>> IWeaverStore.ListLocksAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<ResourceLease> leases = [.. Locks.Held().OrderBy(lease => lease.TaskId, StringComparer.Ordinal).ThenBy(lease => lease.Resources[0])];
        return ValueTask.FromResult(leases);
    }

    ValueTask<StoredJob> IWeaverStore.CreateJobAsync(NewJob job, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Jobs.Create(job));
    }

    ValueTask<StoredJob?> IWeaverStore.GetJobAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Jobs.Get(id));
    }

    ValueTask<StoredJob?> IWeaverStore.TryUpdateJobAsync(string id, long expectedRevision, string state, string document, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Jobs.TryUpdate(id, expectedRevision, state, document));
    }

    ValueTask<IReadOnlyList<StoredJob>> IWeaverStore.ListJobsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Jobs.List());
    }

    ValueTask<bool> IWeaverStore.AppendArtifactAsync(StoredAttempt attempt, ArtifactRef artifact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(artifact);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_records.TryGetValue(attempt.TaskId, out var record))
        {
            return ValueTask.FromResult(false);
        }

        var running = ToTaskAttempt(attempt);
        var rows = _artifactRows.GetOrAdd((artifact.JobId, artifact.TaskId), static _ => []);
        lock (record.Gate)
        {
            // As FencedWrite does: the check and the append under the task's gate, so nothing takes the task in between.
            if (!HoldsLease(record, running))
            {
                Reject(record, running, $"write of artifact '{artifact.Name}'");
                return ValueTask.FromResult(false);
            }

            lock (rows)
            {
                rows.Add(artifact);
            }
        }

        return ValueTask.FromResult(true);
    }

    ValueTask<IReadOnlyList<ArtifactRef>> IWeaverStore.ListArtifactsAsync(string jobId, string taskId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentNullException.ThrowIfNull(taskId);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_artifactRows.TryGetValue((jobId, taskId), out var rows))
        {
            return ValueTask.FromResult<IReadOnlyList<ArtifactRef>>([]);
        }

        lock (rows)
        {
            return ValueTask.FromResult<IReadOnlyList<ArtifactRef>>([.. rows]);
        }
    }

    ValueTask IAsyncDisposable.DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Starts an attempt of a task for the store's claim: only a task waiting to run (queued, or a retry that came due)
    /// whose resources can all be acquired, and never a running one (a stale attempt is the sweep's to take back). The
    /// resources are acquired before the task's lease is claimed, so a task skipped for its resources is left exactly as
    /// it was: no event, and no epoch used up.
    /// </summary>
    private StoreStart TryStartForStore(TaskRecord record, string owner, out StoredAttempt? attempt, out IReadOnlyList<ResourceConflict>? conflicts)
    {
        attempt = null;
        conflicts = null;
        lock (record.Gate)
        {
            var lifecycle = record.Lifecycle;
            var dueRetry = lifecycle.Current == TaskLifecycle.State.RetryScheduled && _time.GetUtcNow() >= record.DueAt;
            if (lifecycle.Current != TaskLifecycle.State.Queued && !dueRetry)
            {
                return StoreStart.NotWaiting;
            }

            ResourceLease? held = null;
            if (record.Resources.Count > 0)
            {
                var result = Locks.TryAcquire(record.Id, owner, record.Resources);
                if (!result.Acquired)
                {
                    conflicts = result.Conflicts;
                    return StoreStart.Blocked;
                }

                held = result.Lease;
            }

            if (!Claims.TryClaim(record.Id, owner, out var lease))
            {
                // Claimed by a worker of this engine that has not taken the task's gate yet: it starts the task.
                if (held is not null)
                {
                    _ = Locks.TryRelease(held);
                }

                return StoreStart.NotWaiting;
            }

            if (dueRetry)
            {
                lifecycle.Requeue();
            }

            if (held is not null)
            {
                HoldResourcesLocked(record, held);
            }

            attempt = ToStoredAttempt(record, StartLocked(record, lease));
            return StoreStart.Started;
        }
    }

    /// <summary>Call under the record's gate: renews the running attempt's resource locks, if it holds any.</summary>
    private bool TryRenewHeldResources(TaskRecord record)
    {
        if (record.HeldResources is not { } held)
        {
            return true;
        }

        if (!Locks.TryRenew(held, out var renewed))
        {
            return false;
        }

        record.HeldResources = renewed;
        return true;
    }

    /// <summary>The task as the store shows it.</summary>
    private StoredTask View(TaskRecord record)
    {
        lock (record.Gate)
        {
            var state = record.Lifecycle.Current;
            var running = state == TaskLifecycle.State.Running ? record.LatestLease : null;
            var expiresAt = running?.ExpiresAt;
            if (running is { } lease && Claims.TryGetHolder(record.Id, out var holder) && holder.Epoch == lease.Epoch)
            {
                expiresAt = holder.ExpiresAt; // a worker's heartbeat renews the claim table only
            }

            return new StoredTask(
                record.Id,
                record.Kind,
                state,
                record.Input as string,
                record.Attempts,
                record.Retry,
                record.LatestLease?.Epoch ?? 0,
                running?.Owner,
                expiresAt,
                state == TaskLifecycle.State.RetryScheduled ? record.DueAt : null,
                record.Result as string,
                record.Error,
                record.Cost,
                record.CreatedAt)
            {
                Resources = record.Resources,
                Job = record.Job,
                TraceParent = record.TraceParent,
                TraceState = record.TraceState,
            };
        }
    }

    private static StoredAttempt ToStoredAttempt(TaskRecord record, TaskAttempt attempt) =>
        new(attempt.TaskId, attempt.Kind, attempt.Input as string, attempt.Number, attempt.Lease.Owner, attempt.Lease.Epoch, attempt.Lease.ExpiresAt)
        {
            Resources = record.Resources,
            Job = attempt.Job,
            TraceParent = attempt.TraceParent,
            TraceState = attempt.TraceState,
        };

    /// <summary>The engine's attempt a stored attempt stands for: the claim table fences by its lease's key, owner and epoch.</summary>
    private static TaskAttempt ToTaskAttempt(StoredAttempt attempt) =>
        new(attempt.TaskId, attempt.Kind, attempt.Input, attempt.Number, attempt.Lease, CancellationToken.None)
        {
            Job = attempt.Job,
            TraceParent = attempt.TraceParent,
            TraceState = attempt.TraceState,
        };

    private enum StoreStart
    {
        NotWaiting,
        Blocked,
        Started,
    }
}
