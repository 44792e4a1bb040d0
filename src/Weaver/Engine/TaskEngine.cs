using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace Weaver;

/// <summary>
/// The in-process engine: tasks, their leases and their queue, in memory. Workers (<see cref="WorkerGroup"/>) take
/// attempts from it and commit through it; every commit is fenced by the attempt's lease epoch, so a worker that
/// lost its lease can never commit, and each task gets exactly one terminal commit.
/// </summary>
/// <remarks>
/// <para>Leases live in a lock-free <see cref="ClaimTable{TKey}"/>. A task's own record changes under a small
/// per-task lock that is never held across an await; its lifecycle moves only through the generated triggers of
/// <see cref="TaskLifecycle"/>. Queue operations and waiter wake-ups happen after that lock is released.</para>
/// <para>Fencing: an attempt may start only while its worker holds the task's live lease, and its result is
/// committed only if releasing that lease succeeds, which it does only for the current epoch before the lease went
/// stale. A stale attempt is taken back by <see cref="Sweep"/> (or by the next claim of the task) before anyone
/// else may start the task again.</para>
/// <para>Artifacts (<see cref="TaskContext.Artifacts"/>) are fenced without releasing the lease: an artifact's metadata
/// line is appended under the task's lock, right after checking that the attempt is the one running and that its lease
/// is current and live, so no take-back, claim, cancel or commit can come between the check and the append
/// (ADR 0016).</para>
/// <para><b>The engine as a store.</b> The engine is also the in-memory <see cref="IWeaverStore"/> (ADR 0019), through
/// its own machinery: a claim takes task ids from <see cref="Queue"/> without waiting and starts each through the
/// <see cref="ClaimTable{TKey}"/>, the task's lifecycle triggers and its lock, as a worker's start does (but a claim
/// never takes over a stale attempt: that is the sweep's job). Renewals, commits, failures, hand-backs and decisions
/// are <see cref="TryComplete"/>, <see cref="TryFail(TaskAttempt, Exception, decimal, bool)"/>, <see cref="TryAbandon"/>
/// and <see cref="TryRecordDecision"/>, fenced by the attempt's lease; locks are <see cref="Locks"/>; a sweep is
/// <see cref="Sweep"/>. A <see cref="StoredAttempt"/> is turned back into the <see cref="TaskAttempt"/> it came from by
/// its lease (task, owner, epoch): the claim table fences by exactly those.</para>
/// <para>Claims take the earliest created task first, whatever order the queue holds the ready ids in (a task handed
/// back or taken back is queued again behind later ones): each claim drains the ready ids, tries them in order of
/// creation and queues the untried ones again, so a claim costs time in proportion to the ready tasks. A task whose
/// resources are held is skipped, left as it was with no event (unlike a worker's start, which records the wait), and
/// set aside until its resources are freed; every claim looks at the set-aside tasks too.</para>
/// <para><b>Payloads.</b> The store view keeps inputs and results as the JSON text they were given. A task submitted
/// through <see cref="Submit"/> with an input (or completed with a result) that is not a string has no JSON text here
/// (the engine is AOT-compatible and serializes nothing by reflection): the store shows it as null.</para>
/// <para><b>Time.</b> Leases are judged by the claim table, which counts whole milliseconds: with a clock that moves in
/// whole milliseconds, a lease is live exactly while <c>now &lt;= ExpiresAt</c>, as the contract says; within a
/// millisecond after its expiry it may still count as live.</para>
/// </remarks>
public sealed partial class TaskEngine : IDisposable
{
    private readonly ConcurrentDictionary<string, TaskRecord> _records = new(StringComparer.Ordinal);
    private readonly Channel<TaskSnapshot> _endedWithOutcomes = Channel.CreateUnbounded<TaskSnapshot>();
    private readonly CancellationTokenSource _disposing = new();
    private readonly TimeProvider _time;
    private readonly Func<double> _jitter;
    private readonly TaskIdSource _ids = new();
    private long _sequence;
    private int _disposed;

    /// <summary>Creates an engine that runs the kinds of task <paramref name="handlers"/> knows.</summary>
    /// <param name="handlers">The registered handlers.</param>
    /// <param name="options">Lease timing, default retry policy and clock; validated here.</param>
    public TaskEngine(HandlerRegistry handlers, TaskEngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        options ??= new TaskEngineOptions();
        Handlers = handlers;
        DefaultRetry = options.Retry.Validate();
        _time = options.TimeProvider ?? TimeProvider.System;
        _jitter = options.JitterSource ?? Random.Shared.NextDouble;
        Claims = new ClaimTable<string>(options.Leases, _time, StringComparer.Ordinal);
        Queue = new TaskQueue<string>(_time);
        Locks = new ResourceLockManager(new ResourceLockOptions { Leases = options.Leases, KeyCase = options.ResourceKeyCase }.Validate(), _time);
        Artifacts = options.Artifacts;
        WeaverMetrics.Track(Queue);
    }

    /// <summary>The registered handlers.</summary>
    public HandlerRegistry Handlers { get; }

    /// <summary>The leases of running attempts.</summary>
    public ClaimTable<string> Claims { get; }

    /// <summary>The ids of tasks ready to run, and of retries waiting for their delay.</summary>
    public TaskQueue<string> Queue { get; }

    /// <summary>
    /// The resource locks tasks declare at submit: a worker acquires all of a task's resources before its handler
    /// runs and releases them when the attempt ends.
    /// </summary>
    public ResourceLockManager Locks { get; }

    /// <summary>The clock the engine, its leases and its queue use.</summary>
    public TimeProvider TimeProvider => _time;

    /// <summary>The retry policy of tasks submitted without one.</summary>
    public RetryPolicy DefaultRetry { get; }

    /// <summary>
    /// Where attempts store their artifacts (<see cref="TaskContext.Artifacts"/>), from
    /// <see cref="TaskEngineOptions.Artifacts"/>; null when artifacts are off. List and read them back here, by job and
    /// task: a job task's under its <see cref="JobTaskRef"/>, a standalone task's under <see cref="JobTaskRef.Standalone"/>.
    /// </summary>
    public ArtifactStore? Artifacts { get; }

    /// <summary>
    /// The tasks that ended (each once, as it ended) whose handler has outcome methods, waiting for a
    /// <see cref="WorkerGroup"/> to run them. Completed when the engine is disposed.
    /// </summary>
    internal ChannelReader<TaskSnapshot> EndedWithOutcomes => _endedWithOutcomes.Reader;

    /// <summary>
    /// Raised after an attempt's success or failure is committed, or after a stale attempt is taken back, with the task
    /// as it is then; outside the task's lock, and before anyone waiting for the task's completion is woken.
    /// </summary>
    internal event Action<TaskSnapshot>? AttemptEnded;

    /// <summary>Submits a task.</summary>
    /// <param name="kind">The name of a registered handler.</param>
    /// <param name="input">The handler's input.</param>
    /// <param name="retry">Its retry policy; <see cref="DefaultRetry"/> when null.</param>
    /// <param name="id">Its id; when null, a new one of 32 hex digits, unique in this engine. Must not be in use.</param>
    /// <param name="resources">
    /// Resource keys (file paths, or any keys) the task must hold while its handler runs; all of them or none are
    /// acquired, and a task whose resources are held waits until they are freed.
    /// </param>
    /// <param name="job">
    /// The job and job task this engine task runs, when it belongs to a job (<see cref="JobCoordinator"/> passes it):
    /// its attempts' artifacts are keyed by it. When null the task stands alone, and its artifacts are keyed by
    /// <see cref="JobTaskRef.Standalone"/> of its id (the id as both job id and task id).
    /// </param>
    /// <returns>The task's id.</returns>
    /// <exception cref="ArgumentException">
    /// No handler has that name, the id is in use or empty, the policy is invalid, a resource key is empty or
    /// normalizes to nothing, or <paramref name="job"/> is <c>default</c>.
    /// </exception>
    public string Submit(string kind, object? input, RetryPolicy? retry = null, string? id = null, IEnumerable<string>? resources = null, JobTaskRef? job = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        if (id is not null && string.IsNullOrWhiteSpace(id))
        {
            throw new ArgumentException("A task id must not be empty or white space; pass null for a generated id.", nameof(id));
        }

        _ = SubmitterTrace.TryCurrent(out var traceParent, out var traceState);
        var record = NewRecord(id ?? _ids.Next(), kind, input, (retry ?? DefaultRetry).Validate(), resources, job, traceParent, traceState);
        if (!TryAdd(record))
        {
            throw new ArgumentException($"A task with id '{record.Id}' was already submitted; ids must be unique.", nameof(id));
        }

        return record.Id;
    }

    /// <summary>
    /// A new task's record, with its submission recorded, after checking what <see cref="Submit"/> and the store's create
    /// both check: a registered kind, a job reference that is not empty, resource keys that normalize.
    /// </summary>
    private TaskRecord NewRecord(
        string id, string kind, object? input, RetryPolicy retry, IEnumerable<string>? resources, JobTaskRef? job, string? traceParent, string? traceState)
    {
        if (!Handlers.TryGet(kind, out _))
        {
            throw new ArgumentException(
                $"No handler is registered for task kind '{kind}'; registered kinds: {string.Join(", ", Handlers.Names.Order(StringComparer.Ordinal))}.",
                nameof(kind));
        }

        if (job is { } given && (given.JobId.Value is null || given.TaskId is null))
        {
            throw new ArgumentException("The job reference is empty (default); pass new JobTaskRef(jobId, taskId), or null for a task that belongs to no job.", nameof(job));
        }

        string[] keys = resources is null
            ? []
            : resources.Select(resource => ResourceKey.Normalize(resource, Locks.Options.KeyCase).Value).Distinct().ToArray();
        var now = _time.GetUtcNow();
        var record = new TaskRecord(id, kind, input, retry, keys)
        {
            Job = job,
            Sequence = Interlocked.Increment(ref _sequence),
            CreatedAt = now,
            TraceParent = traceParent,
            TraceState = traceState,
        };
        record.Record(TaskEvents.Submitted(now, kind));
        return record;
    }

    /// <summary>Adds a new record and queues it; false, changing nothing, when its id is in use.</summary>
    private bool TryAdd(TaskRecord record)
    {
        if (!_records.TryAdd(record.Id, record))
        {
            return false;
        }

        Queue.Enqueue(record.Id);
        return true;
    }

    /// <summary>The task as it is now.</summary>
    /// <param name="id">The task's id.</param>
    /// <returns>A snapshot of the task.</returns>
    /// <exception cref="KeyNotFoundException">No task has that id.</exception>
    public TaskSnapshot Get(string id) =>
        TryGet(id, out var task) ? task : throw new KeyNotFoundException($"No task has id '{id}'.");

    /// <summary>The task as it is now, if there is one with that id.</summary>
    /// <param name="id">The task's id.</param>
    /// <param name="task">A snapshot of the task.</param>
    /// <returns>Whether a task has that id.</returns>
    public bool TryGet(string id, [NotNullWhen(true)] out TaskSnapshot? task)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!_records.TryGetValue(id, out var record))
        {
            task = null;
            return false;
        }

        lock (record.Gate)
        {
            task = record.Snapshot();
        }

        return true;
    }

    /// <summary>Every task as it is now.</summary>
    /// <returns>One snapshot per task.</returns>
    public IReadOnlyList<TaskSnapshot> All() => _records.Keys.Select(Get).ToList();

    /// <summary>Waits until the task has ended (succeeded, dead or cancelled).</summary>
    /// <param name="id">The task's id.</param>
    /// <param name="cancellationToken">Stops waiting (not the task).</param>
    /// <returns>The task as it ended.</returns>
    public Task<TaskSnapshot> WaitForCompletionAsync(string id, CancellationToken cancellationToken = default) =>
        Find(id).Completion.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// Claims the task for <paramref name="owner"/> and starts an attempt, if the task is waiting to run (queued, or a
    /// retry that came due). A task whose previous worker's lease went stale is taken back first.
    /// </summary>
    /// <param name="taskId">The task to start.</param>
    /// <param name="owner">The worker.</param>
    /// <param name="attempt">The started attempt.</param>
    /// <returns><see langword="false"/> when the task is held by a live lease, not waiting to run, or unknown.</returns>
    public bool TryStartAttempt(string taskId, string owner, [NotNullWhen(true)] out TaskAttempt? attempt)
    {
        attempt = null;
        if (!_records.TryGetValue(taskId, out var record) || !Claims.TryClaim(taskId, owner, out var lease))
        {
            return false;
        }

        var wake = Wake.None;
        IReadOnlyList<ResourceConflict>? parkedOn = null;
        lock (record.Gate)
        {
            var lifecycle = record.Lifecycle;
            if (lifecycle.Current == TaskLifecycle.State.Running && record.RunEpoch < lease.Epoch)
            {
                // Our claim took over a stale lease: its attempt is abandoned before ours may start.
                wake = TakeBack(record, record.RunEpoch, $"The lease of the running attempt went stale; '{owner}' took the task over.");
            }

            if (lifecycle.Current == TaskLifecycle.State.RetryScheduled && _time.GetUtcNow() >= record.DueAt)
            {
                lifecycle.Requeue();
            }

            if (lifecycle.Current == TaskLifecycle.State.Queued && !TryAcquireResources(record, owner, out var conflicts))
            {
                _ = Claims.TryRelease(lease); // another task holds a resource: hand back the claim just taken
                parkedOn = conflicts;
            }
            else if (lifecycle.Current == TaskLifecycle.State.Queued)
            {
                attempt = StartLocked(record, lease);
                wake = Wake.None;
            }
            else
            {
                // Nothing to run: hand back the claim just taken. If it already went stale there is nothing to hand back.
                _ = Claims.TryRelease(lease);
            }
        }

        Apply(record, wake);
        if (parkedOn is not null)
        {
            _ = RequeueWhenFreedAsync(record.Id, parkedOn);
        }

        return attempt is not null;
    }

    /// <summary>
    /// Call under the record's gate, for a queued task whose lease <paramref name="lease"/> was just claimed and whose
    /// resources (if any) are held: the attempt starts.
    /// </summary>
    private TaskAttempt StartLocked(TaskRecord record, Lease<string> lease)
    {
        record.Lifecycle.Start();
        record.Attempts++;
        record.RunEpoch = lease.Epoch;
        record.LatestLease = lease;
        record.AttemptCancellation?.Dispose();
        record.AttemptCancellation = new CancellationTokenSource();
        record.Record(TaskEvents.AttemptStarted(_time.GetUtcNow(), record.Attempts, lease.Owner, lease.Epoch));
        return new TaskAttempt(record.Id, record.Kind, record.Input, record.Attempts, lease, record.AttemptCancellation.Token)
        {
            Job = record.Job,
            TraceParent = record.TraceParent,
            TraceState = record.TraceState,
        };
    }

    /// <summary>
    /// Renews the resource locks of a running attempt, with its heartbeat; true when it holds none.
    /// </summary>
    /// <param name="attempt">The running attempt.</param>
    /// <returns><see langword="false"/> when the attempt no longer runs or its locks were lost.</returns>
    public bool TryRenewResources(TaskAttempt attempt)
    {
        var record = Find(attempt.TaskId);
        lock (record.Gate)
        {
            if (record.RunEpoch != attempt.Lease.Epoch)
            {
                return false;
            }

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
    }

    /// <summary>
    /// Adds a decision of the attempt's handler to the task's history, if the attempt still holds the task's current live
    /// lease: checking the lease and recording happen under the task's lock, so a decision is never recorded for an
    /// attempt that was already taken back.
    /// </summary>
    /// <param name="attempt">The running attempt.</param>
    /// <param name="decision">The handler's decision.</param>
    /// <returns><see langword="false"/> when the lease was lost: the write is rejected, recorded as such, and changes nothing else.</returns>
    public bool TryRecordDecision(TaskAttempt attempt, Decision decision)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(decision);
        var record = Find(attempt.TaskId);
        lock (record.Gate)
        {
            if (!HoldsLease(record, attempt))
            {
                Reject(record, attempt, "decision");
                return false;
            }

            record.Record(TaskEvents.DecisionRecorded(_time.GetUtcNow(), attempt.Number, attempt.Lease.Owner, attempt.Lease.Epoch, decision));
            return true;
        }
    }

    /// <summary>Commits an attempt's result, if its lease is still the task's current live lease.</summary>
    /// <param name="attempt">The attempt.</param>
    /// <param name="result">The handler's result.</param>
    /// <param name="cost">What the attempt cost, as its handler reported it (<see cref="TaskContext.Cost"/>); not negative.</param>
    /// <returns><see langword="false"/> when the lease was lost: the commit is rejected, recorded, and changes nothing else.</returns>
    public bool TryComplete(TaskAttempt attempt, object? result, decimal cost = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cost);
        var record = Find(attempt.TaskId);
        lock (record.Gate)
        {
            if (!TryFence(record, attempt, "commit"))
            {
                return false;
            }

            record.Lifecycle.Succeed();
            record.Result = result;
            record.Cost += cost;
            EndRun(record);
            record.Record(TaskEvents.Succeeded(_time.GetUtcNow(), attempt.Number, attempt.Lease.Owner, attempt.Lease.Epoch));
        }

        RaiseAttemptEnded(record);
        Apply(record, Wake.Completion);
        return true;
    }

    /// <summary>
    /// Records an attempt's failure and schedules a retry, or ends the task when no attempts are left or the failure is
    /// <paramref name="permanent"/>.
    /// </summary>
    /// <param name="attempt">The attempt.</param>
    /// <param name="error">Why it failed; the task's error becomes its type name and message.</param>
    /// <param name="cost">What the attempt cost, as its handler reported it (<see cref="TaskContext.Cost"/>); not negative.</param>
    /// <param name="permanent">No retry could succeed (its input cannot be read, say): the task dies now.</param>
    /// <returns><see langword="false"/> when the lease was lost: the failure is rejected, recorded, and changes nothing else.</returns>
    public bool TryFail(TaskAttempt attempt, Exception error, decimal cost = 0, bool permanent = false)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentOutOfRangeException.ThrowIfNegative(cost);
        return TryFail(attempt, $"{error.GetType().Name}: {error.Message}", cost, permanent);
    }

    /// <summary>The failure of <see cref="TryFail(TaskAttempt, Exception, decimal, bool)"/>, with its error as text.</summary>
    private bool TryFail(TaskAttempt attempt, string error, decimal cost, bool permanent)
    {
        var record = Find(attempt.TaskId);
        Wake wake;
        lock (record.Gate)
        {
            if (!TryFence(record, attempt, "failure"))
            {
                return false;
            }

            EndRun(record);
            record.Cost += cost;
            record.Error = error;
            wake = RetryOrKill(record, attempt, error, permanent);
        }

        RaiseAttemptEnded(record);
        Apply(record, wake);
        return true;
    }

    /// <summary>
    /// Hands a running attempt back (its worker is shutting down): the lease is released and the task queued again.
    /// </summary>
    /// <param name="attempt">The attempt.</param>
    /// <param name="reason">Why, for the history.</param>
    /// <returns><see langword="false"/> when the lease was already lost.</returns>
    public bool TryAbandon(TaskAttempt attempt, string reason)
    {
        var record = Find(attempt.TaskId);
        lock (record.Gate)
        {
            if (!TryFence(record, attempt, "hand-back"))
            {
                return false;
            }

            record.Lifecycle.Reclaim();
            EndRun(record);
            record.Record(TaskEvents.Abandoned(_time.GetUtcNow(), attempt.Number, attempt.Lease.Owner, attempt.Lease.Epoch, reason));
        }

        Apply(record, Wake.Queue);
        return true;
    }

    /// <summary>Cancels a task that has not ended; a running handler's cancellation token is cancelled.</summary>
    /// <param name="id">The task's id.</param>
    /// <returns><see langword="false"/> when the task had already ended.</returns>
    public bool TryCancel(string id)
    {
        var record = Find(id);
        CancellationTokenSource? running;
        lock (record.Gate)
        {
            if (!record.Lifecycle.TryCancel())
            {
                return false;
            }

            running = record.RunEpoch != 0 ? record.AttemptCancellation : null;
            record.Record(TaskEvents.Cancelled(_time.GetUtcNow(), record.Attempts, record.RunEpoch));
            EndRun(record);
        }

        running?.Cancel();
        Apply(record, Wake.Completion);
        return true;
    }

    /// <summary>
    /// The artifact writer of a running attempt (<see cref="TaskContext.Artifacts"/>): it stores under
    /// <see cref="Artifacts"/>, keyed by the attempt's <see cref="TaskAttempt.Job"/> (or <see cref="JobTaskRef.Standalone"/>
    /// of its task id) and number, and records an artifact only while the attempt holds the task's current lease.
    /// </summary>
    /// <param name="attempt">An attempt this engine started.</param>
    /// <returns>The writer; one whose every call says artifacts are off when the engine has no store.</returns>
    internal AttemptArtifacts ArtifactsFor(TaskAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return new AttemptArtifacts(Artifacts, attempt.Job ?? JobTaskRef.Standalone(attempt.TaskId), attempt.Number, new AttemptFence(this, attempt));
    }

    /// <summary>
    /// Records that a worker's heartbeat failed: its lease, or the resource locks it renews with the lease, could not be
    /// renewed, so the attempt stops (the task will be taken back, if it has not been already).
    /// </summary>
    /// <param name="lease">The lease that could not be renewed.</param>
    public void RecordLostLease(Lease<string> lease)
    {
        if (!_records.TryGetValue(lease.Key, out var record))
        {
            return;
        }

        // A heartbeat renews the task's lease first and its resource locks second; a lease still current means the locks failed.
        var detail = Claims.IsCurrent(lease)
            ? $"Heartbeat from '{lease.Owner}' (epoch {lease.Epoch}) could not renew the attempt's resource locks (they went stale or were released); the attempt was stopped."
            : null;
        lock (record.Gate)
        {
            record.Record(detail is null
                ? TaskEvents.HeartbeatRejected(_time.GetUtcNow(), record.Attempts, lease.Owner, lease.Epoch)
                : Event(TaskEventKind.WriteRejected, record.Attempts, lease.Owner, lease.Epoch, detail));
        }
    }

    /// <summary>
    /// Takes back every task whose running attempt's lease went stale: queued again, or dead when no attempts are
    /// left. The stale worker's later heartbeats and commits are rejected.
    /// </summary>
    /// <returns>How many tasks were taken back.</returns>
    public int Sweep()
    {
        var count = 0;
        foreach (var stale in Claims.StaleLeases())
        {
            if (!Claims.TryExpire(stale.Key, out var expired) || !_records.TryGetValue(expired.Key, out var record))
            {
                continue;
            }

            Wake wake;
            lock (record.Gate)
            {
                if (record.Lifecycle.Current != TaskLifecycle.State.Running || record.RunEpoch != expired.Epoch)
                {
                    continue;
                }

                wake = TakeBack(record, expired.Epoch, TaskEvents.StaleLease(expired.Owner, expired.Epoch, expired.ExpiresAt));
            }

            RaiseAttemptEnded(record);
            Apply(record, wake);
            count++;
        }

        // Locks whose holder went stale without its task being swept (its worker vanished between the two) are freed too.
        Locks.ReleaseStale();
        return count;
    }

    /// <summary>
    /// Stops the queue's timer; waiting workers get an <see cref="ObjectDisposedException"/>, and outcomes of tasks
    /// that end from now on are not run.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _endedWithOutcomes.Writer.TryComplete();
        _disposing.Cancel();
        WeaverMetrics.Untrack(Queue);
        Queue.Dispose();
        Locks.Dispose();
        _disposing.Dispose();
    }

    private TaskRecord Find(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _records.TryGetValue(id, out var record)
            ? record
            : throw new KeyNotFoundException($"No task has id '{id}'.");
    }

    /// <summary>Call under the record's gate. The attempt's write is accepted only by releasing its live, current lease.</summary>
    private bool TryFence(TaskRecord record, TaskAttempt attempt, string operation)
    {
        if (record.RunEpoch == attempt.Lease.Epoch
            && record.Lifecycle.Current == TaskLifecycle.State.Running
            && Claims.TryRelease(attempt.Lease))
        {
            return true;
        }

        Reject(record, attempt, operation);
        return false;
    }

    /// <summary>
    /// Call under the record's gate. Whether the attempt still holds the task's current lease, without releasing it:
    /// the task runs this attempt, and the claim table holds its epoch, owned by its worker and not stale.
    /// </summary>
    private bool HoldsLease(TaskRecord record, TaskAttempt attempt) =>
        record.RunEpoch == attempt.Lease.Epoch
        && record.Lifecycle.Current == TaskLifecycle.State.Running
        && Claims.IsCurrent(attempt.Lease);

    /// <summary>
    /// Checks, under the task's gate, that the attempt may still write; when it may not, records the rejected
    /// <paramref name="operation"/> and throws. When <paramref name="write"/> is given it runs under the same gate,
    /// right after the check: nothing that takes the task from the attempt (a sweep, another worker's claim, a cancel,
    /// a commit) can come between the two.
    /// </summary>
    private T FencedWrite<T>(TaskAttempt attempt, string operation, Func<T>? write)
    {
        var record = Find(attempt.TaskId);
        lock (record.Gate)
        {
            if (HoldsLease(record, attempt))
            {
                return write is null ? default! : write();
            }

            Reject(record, attempt, operation);
        }

        throw new LeaseLostException(attempt.TaskId, attempt.Lease.Owner, attempt.Lease.Epoch, operation);
    }

    /// <summary>Call under the record's gate: a write of an attempt that no longer holds the lease is recorded as rejected.</summary>
    private void Reject(TaskRecord record, TaskAttempt attempt, string operation) =>
        record.Record(TaskEvents.Rejected(_time.GetUtcNow(), attempt.Number, attempt.Lease.Owner, attempt.Lease.Epoch, operation));

    /// <summary>Call under the record's gate, when a run ends: the attempt no longer runs, and its resources are freed.</summary>
    private void EndRun(TaskRecord record)
    {
        record.RunEpoch = 0;
        if (record.HeldResources is { } held)
        {
            record.HeldResources = null;
            var released = Locks.TryRelease(held);
            record.Record(Event(
                TaskEventKind.ResourcesReleased,
                record.Attempts,
                held.Owner,
                held.Epoch,
                released
                    ? $"Released {Describe(held.Resources)}."
                    : $"The locks on {Describe(held.Resources)} (epoch {held.Epoch}) were already gone: they went stale."));
        }
    }

    /// <summary>Call under the record's gate, before an attempt starts: all of the task's resources, or none.</summary>
    private bool TryAcquireResources(TaskRecord record, string owner, out IReadOnlyList<ResourceConflict> conflicts)
    {
        conflicts = [];
        if (record.Resources.Count == 0)
        {
            return true;
        }

        var result = Locks.TryAcquire(record.Id, owner, record.Resources);
        if (result.Acquired)
        {
            HoldResourcesLocked(record, result.Lease);
            return true;
        }

        conflicts = result.Conflicts;
        record.Record(Event(TaskEventKind.ResourceConflict, record.Attempts + 1, owner, 0, $"Waiting for resources: {result.Describe()}") with
        {
            Decision = new Decision(PolicyText.ResourceLocks, result.Describe(), $"Attempt {record.Attempts + 1} waits; '{owner}' holds none of the task's resources meanwhile."),
        });
        return false;
    }

    /// <summary>Call under the record's gate: the attempt about to start holds <paramref name="lease"/>, recorded as acquired.</summary>
    private void HoldResourcesLocked(TaskRecord record, ResourceLease lease)
    {
        record.HeldResources = lease;
        record.Record(Event(TaskEventKind.ResourcesAcquired, record.Attempts + 1, lease.Owner, lease.Epoch, $"Acquired {Describe(lease.Resources)}."));
    }

    /// <summary>Wakes a task that waits for resources once one of them is freed or its holder goes stale: no polling.</summary>
    private async Task RequeueWhenFreedAsync(string taskId, IReadOnlyList<ResourceConflict> conflicts)
    {
        try
        {
            await Locks.WaitForReleaseAsync(conflicts, _disposing.Token).ConfigureAwait(false);
            Queue.Enqueue(taskId);
        }
        catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException)
        {
            // The engine was disposed while the task waited: nothing will run it.
        }
    }

    private static string Describe(IReadOnlyList<ResourceKey> resources) =>
        string.Join(", ", resources.Select(resource => $"'{resource.Value}'"));

    /// <summary>Call under the record's gate, for a running attempt whose lease is gone.</summary>
    private Wake TakeBack(TaskRecord record, long staleEpoch, string detail)
    {
        EndRun(record);
        record.AttemptCancellation?.Cancel();
        var (requeued, taken) = TaskEvents.TakenBack(_time.GetUtcNow(), record.Retry, Claims.Options, record.Attempts, staleEpoch, detail);
        if (requeued)
        {
            record.Lifecycle.Reclaim();
            record.Record(taken);
            return Wake.Queue;
        }

        record.Lifecycle.Kill();
        record.Error = taken.Detail;
        record.Record(taken);
        return Wake.Completion;
    }

    /// <summary>Call under the record's gate, after a failed attempt.</summary>
    private Wake RetryOrKill(TaskRecord record, TaskAttempt attempt, string error, bool permanent)
    {
        var (retryAt, failed) = TaskEvents.Failed(_time.GetUtcNow(), record.Retry, record.Attempts, attempt.Lease.Owner, attempt.Lease.Epoch, error, _jitter(), permanent);
        record.Record(failed);
        if (retryAt is { } dueAt)
        {
            record.Lifecycle.ScheduleRetry();
            record.DueAt = dueAt;
            return Wake.Schedule;
        }

        record.Lifecycle.Kill();
        return Wake.Completion;
    }

    /// <summary>Call after the record's gate is released, once an attempt ended.</summary>
    private void RaiseAttemptEnded(TaskRecord record)
    {
        if (AttemptEnded is not { } ended)
        {
            return;
        }

        TaskSnapshot snapshot;
        lock (record.Gate)
        {
            snapshot = record.Snapshot();
        }

        ended(snapshot);
    }

    /// <summary>Queue and waiter effects of a change, applied after the record's gate is released.</summary>
    private void Apply(TaskRecord record, Wake wake)
    {
        switch (wake)
        {
            case Wake.Queue:
                Queue.Enqueue(record.Id);
                break;
            case Wake.Schedule:
                Queue.Schedule(record.Id, record.DueAt);
                break;
            case Wake.Completion:
                TaskSnapshot snapshot;
                lock (record.Gate)
                {
                    snapshot = record.Snapshot();
                }

                // Every terminal transition comes here exactly once, so each ended task's outcomes are queued once.
                if (Handlers.TryGet(record.Kind, out var handler) && handler.HasOutcomes)
                {
                    _endedWithOutcomes.Writer.TryWrite(snapshot);
                }

                record.Completion.TrySetResult(snapshot);
                break;
        }
    }

    private TaskEvent Event(TaskEventKind kind, int attempt, string? owner, long epoch, string detail) =>
        new(_time.GetUtcNow(), kind, attempt, owner, epoch, detail);

    /// <summary>
    /// Fences one attempt's artifact writes by its lease: the metadata line is appended under the task's gate, right
    /// after checking that the attempt still holds the task's current lease.
    /// </summary>
    private sealed class AttemptFence(TaskEngine engine, TaskAttempt attempt) : IArtifactFence
    {
        public void Check(string name) => _ = engine.FencedWrite<object?>(attempt, Operation(name), write: null);

        public ValueTask<ArtifactRef> RecordAsync(ArtifactRef artifact, Func<ArtifactRef> appendLine, CancellationToken cancellationToken) =>
            ValueTask.FromResult(engine.FencedWrite(attempt, Operation(artifact.Name), appendLine));

        private static string Operation(string name) => $"write of artifact '{name}'";
    }

    private enum Wake
    {
        None,
        Queue,
        Schedule,
        Completion,
    }
}
