using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Weaver;

/// <summary>
/// Runs jobs on a <see cref="TaskEngine"/>: each task is handed to the engine once all of its dependencies succeeded,
/// a task that dies or is cancelled blocks every task that depends on it, and a job ends as soon as none of its tasks can
/// run anymore, so a job never hangs.
/// </summary>
/// <remarks>
/// <para>A job's task <c>t</c> runs as the engine task <c>{jobId}/t</c>, with the task's retry policy and resources.
/// The coordinator follows each engine task it submitted (an await on its completion, outside any lock) and reacts when
/// it ends.</para>
/// <para>A job's state changes under one short lock per job, never held across an await, and the job's lifecycle
/// moves only through the atomic triggers of <see cref="JobLifecycle"/>: a cancel racing with the last task's
/// completion ends the job exactly once. Waiters and watchers are woken after the lock is released.</para>
/// </remarks>
public sealed partial class JobCoordinator : IWeaverClient, IDisposable
{
    private readonly ConcurrentDictionary<JobId, JobRun> _jobs = new();
    private readonly ConcurrentDictionary<string, (JobRun Run, string TaskId)> _byEngineId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IDecider> _deciders = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _disposing = new();
    private readonly IJobTasks _tasks;

    /// <summary>Creates a coordinator that runs jobs' tasks on <paramref name="engine"/>, in this process's memory.</summary>
    /// <param name="engine">The engine; its workers run the tasks, and its clock stamps the jobs' events.</param>
    public JobCoordinator(TaskEngine engine)
        : this(new EngineJobTasks(engine ?? throw new ArgumentNullException(nameof(engine))), durable: null)
    {
    }

    private JobCoordinator(IJobTasks tasks, DurableJobs? durable)
    {
        _tasks = tasks;
        _durable = durable;
        _tasks.AttemptEnded += OnAttemptEnded;
    }

    /// <summary>
    /// Registers the decider of a task kind: each task of that kind that succeeds is handed to it, and the children it
    /// returns are added to the task's job (see <see cref="IDecider"/>). Register deciders before submitting the jobs that use them.
    /// </summary>
    /// <param name="kind">The task kind; at most one decider per kind.</param>
    /// <param name="decider">The decider.</param>
    /// <remarks>
    /// <para>A child <c>c</c> of task <c>p</c> gets the id <c>p/c</c>, and its dependencies name its siblings. The
    /// children are checked with the rules of <see cref="JobGraph.Build"/> and need registered handlers; a bad child set,
    /// a decider that throws, or children beyond the job's <see cref="JobSpec.MaxDecompositionDepth"/> make the parent
    /// dead, which fails the job with a reason naming the parent.</para>
    /// <para>The parent is <see cref="JobTaskState.Decomposed"/> until all of its children succeed; then it succeeds,
    /// keeping its own result, and its dependents run. A child that dies or is cancelled makes the parent dead.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">A decider is already registered for <paramref name="kind"/>.</exception>
    public void AddDecider(string kind, IDecider decider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(decider);
        if (!_deciders.TryAdd(kind, decider))
        {
            throw new ArgumentException($"A decider is already registered for kind '{kind}'.", nameof(kind));
        }
    }

    /// <inheritdoc/>
    public async Task<JobId> SubmitJobAsync(JobSpec spec, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposing.IsCancellationRequested, this);
        var graph = JobGraph.Build(spec);
        var unknownKinds = graph.TaskIds
            .Select(task => graph[task])
            .SelectMany(task => task.Kinds.Where(kind => !_tasks.Handlers.TryGet(kind, out _)).Select(kind => $"task '{task.Id}' needs kind '{kind}'"))
            .ToArray();
        if (unknownKinds.Length > 0)
        {
            throw new ArgumentException(
                $"No handler is registered for {string.Join("; ", unknownKinds)}; registered kinds: {string.Join(", ", _tasks.Handlers.Names.Order(StringComparer.Ordinal))}.",
                nameof(spec));
        }

        var id = spec.Id is { } given ? new JobId(given) : JobId.New();
        graph = JobGraph.Build(graph.Spec with { Tasks = graph.TaskIds.Select(task => Keep(graph[task])).ToArray() });
        var run = new JobRun(id, graph) { Saga = graph.TaskIds.Any(task => graph[task].Compensation is not null) ? new SagaLifecycle() : null };
        if (_jobs.ContainsKey(id))
        {
            throw DuplicateJob(id);
        }

        if (_durable is not null)
        {
            await _durable.CreateAsync(run, cancellationToken).ConfigureAwait(false);
        }

        if (!_jobs.TryAdd(id, run))
        {
            throw DuplicateJob(id);
        }

        var step = new Step();
        lock (run.Gate)
        {
            Record(run, step, null, JobEventKind.Submitted, $"Submitted with {graph.TaskIds.Count} task(s).");
            if (spec.Budget.Deadline is { } deadline)
            {
                StartDeadline(run, null, deadline, run.Events[^1].At);
            }

            foreach (var root in graph.Roots)
            {
                Submit(run, root, step);
            }

            TryEnd(run, step);
        }

        Apply(run, step);
        return id;
    }

    private static ArgumentException DuplicateJob(JobId id) =>
        new($"A job with id '{id}' was already submitted; job ids must be unique.", "spec");

    /// <summary>A task's spec with its inputs as the task runner keeps them.</summary>
    private JobTaskSpec Keep(JobTaskSpec task) => task with
    {
        Input = _tasks.Keep(task.Id, task.Input),
        Compensation = task.Compensation is { } compensation ? compensation with { Input = _tasks.Keep($"{task.Id} (its compensation)", compensation.Input) } : null,
    };

    /// <inheritdoc/>
    public async Task<JobStatus> GetStatusAsync(JobId id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var run = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        JobLifecycle.State state;
        string? reason;
        SagaLifecycle.State? saga;
        CompensationRecord[] compensations;
        AuditEntry[] audit;
        (JobTaskRecord Record, JobTaskState State, int Attempts, string? Error, IReadOnlyList<string> DependsOn)[] rows;
        lock (run.Gate)
        {
            state = run.Lifecycle.Current;
            reason = run.Lifecycle.Current == JobLifecycle.State.Running ? null : run.Reason;
            saga = run.Saga?.Current;
            compensations = [.. run.Compensations];
            audit = [.. run.Audit];
            rows = run.Graph.TaskIds.Select(task => run.Tasks[task]).Select(r => (r, r.State, r.Attempts, r.Error, run.Graph.DependenciesOf(r.Spec.Id))).ToArray();
        }

        // Tasks the runner still has are read from it, outside the job's lock: it knows whether they run or wait to retry.
        var tasks = new JobTaskStatus[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            var live = row.State == JobTaskState.Queued ? await _tasks.GetAsync(row.Record.EngineId, cancellationToken).ConfigureAwait(false) : null;
            tasks[i] = live is null
                ? new JobTaskStatus(row.Record.Spec.Id, row.State, row.Attempts, row.Error) { DependsOn = row.DependsOn, Parent = row.Record.Parent }
                : new JobTaskStatus(row.Record.Spec.Id, ToJobTaskState(live.State), live.Attempts, live.Error) { DependsOn = row.DependsOn, Parent = row.Record.Parent };
        }

        var counts = Enum.GetValues<JobTaskState>().ToDictionary(s => s, s => tasks.Count(task => task.State == s));
        return new JobStatus(id, state, reason, counts, tasks) { Saga = saga, Compensations = compensations, Audit = audit };
    }

    /// <inheritdoc/>
    /// <remarks>A job that another process coordinates is cancelled there: this throws, unless that coordinator stopped,
    /// in which case this coordinator takes the job over first.</remarks>
    public async Task<CancelAck> CancelJobAsync(JobId id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var run = await FindCoordinatedAsync(id, cancellationToken).ConfigureAwait(false);
        var (cancelled, current) = await EndEarlyAsync(run, budget: false, "Cancelled by request.", null).ConfigureAwait(false);
        // A saga that already began to end keeps compensating: the cancel changes nothing, and says the job was already ending.
        return cancelled is null
            ? new CancelAck(id, AlreadyEnded: true, [], current)
            : new CancelAck(id, AlreadyEnded: false, cancelled, JobLifecycle.State.Cancelled);
    }

    /// <inheritdoc/>
    public async Task<JobResult> GetResultAsync(JobId id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var run = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        lock (run.Gate)
        {
            // Only a cancel leaves the lifecycle terminal before the result is set: it cancels engine tasks in between.
            var state = run.Lifecycle.Current != JobLifecycle.State.Running ? "being cancelled"
                : run.EndAs is not null ? "compensating, or waiting for its running tasks to stop before it compensates"
                : "Running";
            return run.Result ?? throw new InvalidOperationException($"Job '{id}' has not ended: it is {state}. Use WaitForJobAsync to wait for its result.");
        }
    }

    /// <inheritdoc/>
    /// <remarks>A job that another process coordinates is annotated there: this throws, unless that coordinator
    /// stopped, in which case this coordinator takes the job over first.</remarks>
    public async Task AnnotateAsync(JobId id, string key, string value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        cancellationToken.ThrowIfCancellationRequested();
        var run = await FindCoordinatedAsync(id, cancellationToken).ConfigureAwait(false);
        lock (run.Gate)
        {
            run.Audit.Add(new AuditEntry(_tasks.TimeProvider.GetUtcNow(), key, value));
        }

        if (_durable is not null && !await _durable.SaveAsync(run, cancellationToken).ConfigureAwait(false))
        {
            LetGo(run);
            throw new InvalidOperationException($"Job '{id}' was taken over by another coordinator, so this one no longer writes it: annotate it there.");
        }
    }

    /// <inheritdoc/>
    public async Task<JobResult> WaitForJobAsync(JobId id, CancellationToken cancellationToken = default)
    {
        if (_jobs.TryGetValue(id, out var run) || _durable is null)
        {
            return await (run ?? Find(id)).Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return await _durable.WaitForResultAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<JobEvent> WatchAsync(JobId id, CancellationToken cancellationToken = default) =>
        _jobs.TryGetValue(id, out var run) || _durable is null
            ? Watch(run ?? Find(id), cancellationToken)
            : _durable.WatchAsync(id, cancellationToken);

    /// <summary>
    /// Stops following the engine's tasks. Jobs that have not ended never will: their waiters get an
    /// <see cref="ObjectDisposedException"/> and their watchers stop with one.
    /// </summary>
    public void Dispose()
    {
        if (_disposing.IsCancellationRequested)
        {
            return;
        }

        _disposing.Cancel();
        _heartbeat?.Dispose();
        _tasks.AttemptEnded -= OnAttemptEnded;
        _tasks.Dispose();
        foreach (var run in _jobs.Values)
        {
            ITimer[] timers;
            TaskCompletionSource changed;
            lock (run.Gate)
            {
                run.Abandoned = run.Result is null;
                changed = run.Changed;
                timers = [.. run.Timers];
                run.Timers.Clear();
            }

            foreach (var timer in timers)
            {
                timer.Dispose();
            }

            changed.TrySetResult();
            run.Completion.TrySetException(new ObjectDisposedException(nameof(JobCoordinator), $"The coordinator was disposed before job '{run.Id}' ended."));
        }
    }

    /// <summary>
    /// Ends a running job early, by a cancel or a reached budget: pending tasks become Cancelled, and the engine cancels
    /// the queued, running and retrying ones (running handlers' tokens are cancelled).
    /// </summary>
    /// <returns>The cancelled tasks in topological order, <see langword="null"/> when the job had already ended (or, for a
    /// budget, when <paramref name="stillApplies"/> says the budget no longer applies); and the job's state.</returns>
    private async Task<(string[]? Cancelled, JobLifecycle.State Current)> EndEarlyAsync(JobRun run, bool budget, string reason, Func<bool>? stillApplies)
    {
        JobLifecycle.State current;
        var cancelled = new HashSet<string>(StringComparer.Ordinal);
        var inEngine = new List<JobTaskRecord>();
        var with = budget ? "because its job's budget was reached" : "with its job";
        var step = new Step();
        lock (run.Gate)
        {
            current = run.Lifecycle.Current;
            if (!run.IsRunningForward || (stillApplies is not null && !stillApplies()))
            {
                return (null, current);
            }

            if (run.Saga is not null)
            {
                // A saga ends only after its compensations: until then its job runs, but no longer forward.
                run.EndAs = budget ? JobLifecycle.State.Failed : JobLifecycle.State.Cancelled;
            }
            else
            {
                _ = budget ? run.Lifecycle.TryFail() : run.Lifecycle.TryCancel();
                current = run.Lifecycle.Current;
            }

            run.Reason = reason;
            var decision = budget
                ? new Decision(BudgetPolicy(run, reason), reason, "The job fails: its remaining tasks are cancelled.")
                : new Decision(PolicyText.Cancel, "A cancel was requested while the job ran.", "The job is cancelled: its remaining tasks are cancelled.");
            Record(run, step, null, budget ? JobEventKind.BudgetReached : JobEventKind.CancelRequested, reason, decision);

            foreach (var task in run.Graph.TopologicalOrder.Select(task => run.Tasks[task]))
            {
                if (task.State == JobTaskState.Pending)
                {
                    task.State = JobTaskState.Cancelled;
                    task.Error = $"Cancelled {with} before it was queued.";
                    cancelled.Add(task.Spec.Id);
                    Record(run, step, task.Spec.Id, JobEventKind.TaskCancelled, task.Error);
                }
                else if (task.State == JobTaskState.Queued)
                {
                    inEngine.Add(task);
                }
                else if (task.State == JobTaskState.Decomposed)
                {
                    task.State = JobTaskState.Cancelled;
                    task.Error = $"Cancelled {with} while its children ran.";
                    cancelled.Add(task.Spec.Id);
                    Record(run, step, task.Spec.Id, JobEventKind.TaskCancelled, task.Error);
                }
            }
        }

        Apply(run, step);

        // Outside the lock: the engine wakes waiters and cancels running handlers' tokens. A task that ends meanwhile is
        // not cancelled; following it only records how it ended, since the job's lifecycle is already terminal.
        var cancelledInEngine = new HashSet<JobTaskRecord>();
        foreach (var task in inEngine)
        {
            if (await _tasks.TryCancelAsync(task.EngineId).ConfigureAwait(false))
            {
                cancelledInEngine.Add(task);
            }
        }

        step = new Step();
        lock (run.Gate)
        {
            // A task's follower can take the gate before this does. For a saga it then recorded the task's end (the saga
            // waits for it), so it is not recorded twice; otherwise it only set the task's state, and this records it.
            foreach (var task in inEngine.Where(task => cancelledInEngine.Contains(task) && (task.IsActive || run.EndAs is null)))
            {
                task.State = JobTaskState.Cancelled;
                task.Error ??= $"Cancelled {with}.";
                cancelled.Add(task.Spec.Id);
                Record(run, step, task.Spec.Id, JobEventKind.TaskCancelled, $"Cancelled {with}.");
            }

            if (run.Saga is not null)
            {
                AdvanceCompensation(run, step);
            }
            else
            {
                Finish(run, step, budget ? JobEventKind.JobFailed : JobEventKind.JobCancelled, run.Reason!);
            }
        }

        Apply(run, step);
        return (run.Graph.TopologicalOrder.Where(cancelled.Contains).ToArray(), current);
    }

    /// <summary>
    /// Call under the job's gate. Starts the deadline of the job (<paramref name="taskId"/> null) or of one of its tasks,
    /// counted from <paramref name="since"/> (a resumed job keeps the time it already spent).
    /// </summary>
    private void StartDeadline(JobRun run, string? taskId, TimeSpan deadline, DateTimeOffset since)
    {
        var left = since + deadline - _tasks.TimeProvider.GetUtcNow();
        var reason = taskId is null
            ? $"Budget reached: the job passed its Deadline of {deadline}."
            : $"Budget reached: task '{taskId}' passed its Deadline of {deadline}.";
        run.Timers.Add(_tasks.TimeProvider.CreateTimer(
            _ =>
            {
                if (!_disposing.IsCancellationRequested)
                {
                    _ = EndEarlyAsync(run, budget: true, reason, () => taskId is null || run.Tasks[taskId].IsActive);
                }
            },
            null,
            left > TimeSpan.Zero ? left : TimeSpan.Zero,
            Timeout.InfiniteTimeSpan));
    }

    /// <summary>Outside any lock, after one of the engine's attempts ended: the attempt and cost budgets are checked.</summary>
    private void OnAttemptEnded(TaskSnapshot snapshot)
    {
        if (!_byEngineId.TryGetValue(snapshot.Id, out var entry))
        {
            return;
        }

        var (run, taskId) = entry;
        string? reason;
        lock (run.Gate)
        {
            var task = run.Tasks[taskId];
            task.Attempts = snapshot.Attempts;
            task.Cost = snapshot.Cost;
            if (!run.IsRunningForward || !task.IsActive)
            {
                return;
            }

            reason = BudgetReached(run, task, snapshot.IsTerminal);
        }

        if (reason is not null)
        {
            _ = EndEarlyAsync(run, budget: true, reason, null);
        }
    }

    /// <summary>Call under the job's gate, after an attempt of <paramref name="task"/> ended: the first cost or attempt budget reached, if any.</summary>
    private static string? BudgetReached(JobRun run, JobTaskRecord task, bool taskEnded)
    {
        if (task.Spec.Budget.MaxCost is { } taskMax && task.Cost > taskMax)
        {
            return $"Budget reached: task '{task.Spec.Id}' exceeded its MaxCost of {taskMax} (its attempts cost {task.Cost}).";
        }

        var tasks = run.Graph.TopologicalOrder.Select(id => run.Tasks[id]).ToArray();
        var budget = run.Graph.Spec.Budget;
        var cost = tasks.Sum(t => t.Cost);
        if (budget.MaxCost is { } jobMax && cost > jobMax)
        {
            return $"Budget reached: the job's MaxCost of {jobMax} was exceeded (its attempts cost {cost}).";
        }

        // Only a job that still needs an attempt has used its attempts up: a last attempt that succeeded ends it normally.
        var attempts = tasks.Sum(t => t.Attempts);
        if (budget.MaxAttempts is { } maxAttempts && attempts >= maxAttempts && tasks.Any(t => t.IsActive && (t != task || !taskEnded)))
        {
            var by = tasks.Where(t => t.Attempts > 0).Select(t => t.Spec.Id);
            return $"Budget reached: the job's MaxAttempts of {maxAttempts} attempts was used up (by tasks {string.Join(", ", by)}).";
        }

        return null;
    }

    private static JobEventKind ToEventKind(JobTaskState ended) => ended switch
    {
        JobTaskState.Succeeded => JobEventKind.TaskSucceeded,
        JobTaskState.Dead => JobEventKind.TaskDead,
        _ => JobEventKind.TaskCancelled,
    };

    private static JobTaskState ToJobTaskState(TaskLifecycle.State state) => state switch
    {
        TaskLifecycle.State.Queued => JobTaskState.Queued,
        TaskLifecycle.State.Running => JobTaskState.Running,
        TaskLifecycle.State.RetryScheduled => JobTaskState.RetryScheduled,
        TaskLifecycle.State.Succeeded => JobTaskState.Succeeded,
        TaskLifecycle.State.Dead => JobTaskState.Dead,
        TaskLifecycle.State.Cancelled => JobTaskState.Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown task state."),
    };

    private JobRun Find(JobId id) =>
        id.Value is not null && _jobs.TryGetValue(id, out var run) ? run : throw new JobNotFoundException(id);

    /// <summary>The job, to read: this coordinator's own, or, on a store, as its stored document says it is now.</summary>
    private async ValueTask<JobRun> FindAsync(JobId id, CancellationToken cancellationToken)
    {
        if (id.Value is null || _jobs.TryGetValue(id, out var run) || _durable is null)
        {
            return Find(id);
        }

        return await _durable.ReadAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new JobNotFoundException(id);
    }

    /// <summary>The job, to change: this coordinator's own, or, on a store, one whose coordinator stopped, taken over.</summary>
    private async ValueTask<JobRun> FindCoordinatedAsync(JobId id, CancellationToken cancellationToken)
    {
        if (id.Value is null || _jobs.TryGetValue(id, out var run) || _durable is null)
        {
            return Find(id);
        }

        return await TakeOverAsync(id, required: true, cancellationToken).ConfigureAwait(false) ?? throw new JobNotFoundException(id);
    }

    private async IAsyncEnumerable<JobEvent> Watch(JobRun run, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = 0;
        while (true)
        {
            JobEvent[] batch;
            bool ended, abandoned;
            Task changed;
            lock (run.Gate)
            {
                batch = run.Events.Skip(seen).ToArray();
                seen = run.Events.Count;
                ended = run.Result is not null;
                abandoned = run.Abandoned;
                changed = run.Changed.Task;
            }

            foreach (var entry in batch)
            {
                yield return entry;
            }

            // The terminal event is added together with the result, so a job that has ended has no events left to read.
            if (ended)
            {
                yield break;
            }

            ObjectDisposedException.ThrowIf(abandoned, this);
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Call under the job's gate. Hands the task to the engine; one that cannot be submitted is dead.</summary>
    private void Submit(JobRun run, string taskId, Step step)
    {
        var task = run.Tasks[taskId];
        var retry = RetryOf(task);
        task.MaxAttempts = retry.MaxAttempts;
        try
        {
            _byEngineId[task.EngineId] = (run, taskId);
            _tasks.Submit(task.EngineId, task.Spec.Kind, task.Spec.Input, retry, task.Spec.Resources, new JobTaskRef(run.Id, taskId));
        }
        catch (ArgumentException refused)
        {
            _byEngineId.TryRemove(task.EngineId, out _);
            // Kinds were checked at submit, so this is an engine task id already used outside the coordinator.
            task.State = JobTaskState.Dead;
            task.Error = $"It could not be handed to the engine: {refused.Message}";
            Record(run, step, taskId, JobEventKind.TaskDead, task.Error);
            Block(run, taskId, step);
            return;
        }

        task.State = JobTaskState.Queued;
        task.Submitted = true;
        step.Follow.Add((taskId, task.EngineId));
        Record(run, step, taskId, JobEventKind.TaskQueued, $"Queued as engine task '{task.EngineId}'.");
        if (task.Spec.Budget.Deadline is { } deadline)
        {
            StartDeadline(run, taskId, deadline, run.Events[^1].At);
        }
    }

    /// <summary>The task's retry policy, its attempts capped by its budget.</summary>
    private RetryPolicy RetryOf(JobTaskRecord task)
    {
        var retry = task.Spec.Retry ?? _tasks.DefaultRetry;
        return task.Spec.Budget.MaxAttempts is { } cap && cap < retry.MaxAttempts ? retry with { MaxAttempts = cap } : retry;
    }

    /// <summary>Call under the job's gate, when a task died or was cancelled: every task still pending under it never runs.</summary>
    private void Block(JobRun run, string taskId, Step step)
    {
        foreach (var descendant in run.Graph.DescendantsOf(taskId).Select(id => run.Tasks[id]))
        {
            if (descendant.State == JobTaskState.Pending)
            {
                descendant.State = JobTaskState.Blocked;
                descendant.Error = $"It depends on '{taskId}', which is {run.Tasks[taskId].State.ToString().ToLowerInvariant()}.";
                Record(
                    run,
                    step,
                    descendant.Spec.Id,
                    JobEventKind.TaskBlocked,
                    descendant.Error,
                    new Decision(PolicyText.Dependencies, $"'{taskId}' is {run.Tasks[taskId].State.ToString().ToLowerInvariant()}, and '{descendant.Spec.Id}' depends on it.", $"'{descendant.Spec.Id}' will never run."));
            }
        }
    }

    /// <summary>
    /// Waits, outside any lock, for an engine task of the job to end, then hands its end to <paramref name="ended"/> under
    /// the job's gate and applies the step's effects.
    /// </summary>
    private async Task FollowAsync(JobRun run, string engineId, Action<TaskSnapshot, Step> ended)
    {
        TaskSnapshot snapshot;
        try
        {
            snapshot = await _tasks.WaitForCompletionAsync(engineId, _disposing.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // the coordinator was disposed
        }

        // Its attempts are over (the engine reports an attempt's end before the task's), so budgets no longer need it.
        _byEngineId.TryRemove(engineId, out _);
        var step = new Step();
        lock (run.Gate)
        {
            ended(snapshot, step);
        }

        Apply(run, step);
    }

    /// <summary>Call under the job's gate.</summary>
    private void TaskEnded(JobRun run, string taskId, TaskSnapshot ended, Step step)
    {
        var task = run.Tasks[taskId];
        task.Attempts = ended.Attempts;
        task.Result = ended.Result;
        task.Error = ended.Error ?? task.Error;
        var state = ToJobTaskState(ended.State);
        if (!task.IsActive)
        {
            return; // the job's cancel already recorded it as cancelled
        }

        task.State = state;
        if (state == JobTaskState.Succeeded && task.Spec.Compensation is not null)
        {
            run.Undo.Add(taskId);
        }

        if (run.Lifecycle.Current != JobLifecycle.State.Running)
        {
            // The job was cancelled while this task was ending: its state is kept for the result, with no event after the job's last.
            return;
        }

        if (run.EndAs is not null)
        {
            // A saga that stopped running forward waited for this task to stop before it compensates.
            var cancelledWith = run.EndAs == JobLifecycle.State.Cancelled ? "Cancelled with its job." : "Cancelled because its job's budget was reached.";
            if (state != JobTaskState.Succeeded)
            {
                task.Error = ended.State == TaskLifecycle.State.Cancelled ? cancelledWith : task.Error;
            }

            Record(run, step, taskId, ToEventKind(state), state == JobTaskState.Succeeded ? "It succeeded while its saga stopped." : task.Error ?? $"It is {state.ToString().ToLowerInvariant()}.");
            AdvanceCompensation(run, step);
            return;
        }

        switch (state)
        {
            case JobTaskState.Succeeded:
                if (!Decompose(run, task, ended.Attempts, step))
                {
                    Complete(run, task, $"Succeeded after {ended.Attempts} attempt(s).", step);
                }

                break;
            case JobTaskState.Dead:
                if (task.Spec.Budget.MaxAttempts is { } cap && cap == task.MaxAttempts && ended.Attempts >= cap)
                {
                    task.Error = $"Budget reached: task '{taskId}' used up its MaxAttempts of {cap} attempt(s). Its last error: {ended.Error}";
                    Record(run, step, taskId, JobEventKind.BudgetReached, task.Error);
                }

                Record(run, step, taskId, JobEventKind.TaskDead, $"Dead after {ended.Attempts} attempt(s): {ended.Error}");
                Block(run, taskId, step);
                ChildEndedBadly(run, task, step);
                break;
            default:
                task.Error ??= "Cancelled in the engine, not with its job.";
                Record(run, step, taskId, JobEventKind.TaskCancelled, task.Error);
                Block(run, taskId, step);
                ChildEndedBadly(run, task, step);
                break;
        }

        TryEnd(run, step);
    }

    /// <summary>
    /// Call under the job's gate, when <paramref name="task"/>'s handler succeeded: hands it to its kind's decider, if
    /// any. Returns whether the task was decomposed or made dead (a bad child set), so it must not complete now.
    /// </summary>
    private bool Decompose(JobRun run, JobTaskRecord task, int attempts, Step step)
    {
        if (!_deciders.TryGetValue(task.Spec.Kind, out var decider))
        {
            return false;
        }

        var id = task.Spec.Id;
        IReadOnlyList<JobTaskSpec> children;
        try
        {
            children = decider.Decide(task.Spec, task.Result) ?? [];
        }
        catch (Exception thrown)
        {
            Kill(run, task, $"Its decider threw {thrown.GetType().Name}: {thrown.Message}", step);
            return true;
        }

        if (children.Count == 0)
        {
            return false;
        }

        var limit = run.Graph.Spec.MaxDecompositionDepth;
        if (task.Depth + 1 > limit)
        {
            Kill(run, task, $"Its decider produced {children.Count} child task(s) at depth {task.Depth + 1}, beyond the job's MaxDecompositionDepth of {limit}.", step);
            return true;
        }

        var problems = new List<string>();
        try
        {
            _ = JobGraph.Build(new JobSpec(children));
        }
        catch (InvalidJobSpecException invalid)
        {
            problems.AddRange(invalid.Problems);
        }

        problems.AddRange(children
            .Where(child => child is not null && !string.IsNullOrWhiteSpace(child.Kind))
            .SelectMany(child => child.Kinds
                .Where(kind => !string.IsNullOrWhiteSpace(kind) && !_tasks.Handlers.TryGet(kind, out _))
                .Select(kind => $"child '{child.Id}' needs kind '{kind}', which has no registered handler")));
        var prefixed = problems.Count > 0 ? [] : children.Select(child => child with
        {
            Id = $"{id}/{child.Id}",
            DependsOn = child.DependsOn.Select(sibling => $"{id}/{sibling}").ToArray(),
        }).ToArray();
        try
        {
            prefixed = prefixed.Select(Keep).ToArray();
        }
        catch (ArgumentException unkept)
        {
            problems.Add(unkept.Message);
        }

        problems.AddRange(prefixed.Where(child => run.Tasks.ContainsKey(child.Id)).Select(child => $"child id '{child.Id}' is already used in the job"));
        if (problems.Count > 0)
        {
            Kill(run, task, $"Its decider produced an invalid set of children: {string.Join("; ", problems)}.", step);
            return true;
        }

        run.Graph = JobGraph.Build(run.Graph.Spec with { Tasks = [.. run.Graph.TaskIds.Select(t => run.Graph[t]), .. prefixed] });
        foreach (var child in prefixed)
        {
            run.Tasks[child.Id] = new JobTaskRecord(child, $"{run.Id}/{child.Id}", child.DependsOn.Count, id, task.Depth + 1);
        }

        if (prefixed.Any(child => child.Compensation is not null))
        {
            run.Saga ??= new SagaLifecycle();
        }

        task.State = JobTaskState.Decomposed;
        task.ChildrenLeft = prefixed.Length;
        var split = $"Split into {prefixed.Length} child task(s): {string.Join(", ", prefixed.Select(c => $"'{c.Id}'"))}.";
        Record(
            run,
            step,
            id,
            JobEventKind.TaskDecomposed,
            $"Succeeded after {attempts} attempt(s). {split}",
            new Decision(PolicyText.Decider(task.Spec.Kind), $"'{id}' succeeded after {attempts} attempt(s) at depth {task.Depth}; its decider returned {prefixed.Length} valid child task(s).", split));
        foreach (var child in prefixed.Where(child => child.DependsOn.Count == 0))
        {
            Submit(run, child.Id, step);
        }

        return true;
    }

    /// <summary>Call under the job's gate. The task succeeded for good: its dependents may run, and its parent may succeed.</summary>
    private void Complete(JobRun run, JobTaskRecord task, string detail, Step step)
    {
        task.State = JobTaskState.Succeeded;
        Record(run, step, task.Spec.Id, JobEventKind.TaskSucceeded, detail);
        foreach (var dependent in run.Graph.DependentsOf(task.Spec.Id))
        {
            if (--run.Tasks[dependent].Waiting == 0)
            {
                Submit(run, dependent, step);
            }
        }

        if (task.Parent is { } parentId && run.Tasks[parentId] is { State: JobTaskState.Decomposed } parent && --parent.ChildrenLeft == 0)
        {
            Complete(run, parent, "All of its child tasks succeeded.", step);
        }
    }

    /// <summary>Call under the job's gate. Makes a task dead that will not run again, and blocks what depends on it.</summary>
    private void Kill(JobRun run, JobTaskRecord task, string error, Step step)
    {
        task.State = JobTaskState.Dead;
        task.Error = error;
        Record(run, step, task.Spec.Id, JobEventKind.TaskDead, error);
        Block(run, task.Spec.Id, step);
        ChildEndedBadly(run, task, step);
    }

    /// <summary>Call under the job's gate, when a task died or was cancelled: a decomposed parent of it dies too.</summary>
    private void ChildEndedBadly(JobRun run, JobTaskRecord task, Step step)
    {
        if (task.Parent is { } parentId && run.Tasks[parentId] is { State: JobTaskState.Decomposed } parent)
        {
            var why = task.Error is { } error ? $": {error}" : ".";
            Kill(run, parent, $"Its child task '{task.Spec.Id}' is {task.State.ToString().ToLowerInvariant()}{why}", step);
        }
    }

    /// <summary>Call under the job's gate. Ends the job once none of its tasks can run anymore.</summary>
    private void TryEnd(JobRun run, Step step)
    {
        var tasks = run.Graph.TopologicalOrder.Select(id => run.Tasks[id]).ToArray();
        if (tasks.Any(task => task.IsActive))
        {
            return;
        }

        if (tasks.All(task => task.State == JobTaskState.Succeeded))
        {
            if (run.Lifecycle.TrySucceed())
            {
                _ = run.Saga?.TryComplete();
                Finish(run, step, JobEventKind.JobSucceeded, $"All {tasks.Length} task(s) succeeded.");
            }

            return;
        }

        var reason = DescribeFailure(tasks);
        if (run.Saga is not null)
        {
            if (run.IsRunningForward)
            {
                run.EndAs = JobLifecycle.State.Failed;
                run.Reason = reason;
                AdvanceCompensation(run, step);
            }

            return;
        }

        if (run.Lifecycle.TryFail())
        {
            run.Reason = reason;
            Finish(run, step, JobEventKind.JobFailed, run.Reason, JobEndDecision(tasks));
        }
    }

    /// <summary>The first task, in topological order, that died or was cancelled on its own, and the tasks that never ran.</summary>
    private static string DescribeFailure(JobTaskRecord[] tasks)
    {
        var first = tasks.First(task => task.State is JobTaskState.Dead or JobTaskState.Cancelled);
        var reason = Sentence(first.State == JobTaskState.Dead
            ? $"Task '{first.Spec.Id}' is dead: {first.Error}"
            : $"Task '{first.Spec.Id}' was cancelled: {first.Error}");
        var others = tasks.Count(task => task != first && task.State is JobTaskState.Dead or JobTaskState.Cancelled);
        if (others > 0)
        {
            reason += $" {others} other task(s) died or were cancelled too.";
        }

        var blocked = tasks.Where(task => task.State == JobTaskState.Blocked).Select(task => $"'{task.Spec.Id}'").ToArray();
        if (blocked.Length > 0)
        {
            reason += $" Blocked, so never run: {string.Join(", ", blocked)}.";
        }

        return reason;
    }

    private static string Sentence(string text) => text.EndsWith('.') ? text : text + ".";

    /// <summary>Call under the job's gate, once its lifecycle is terminal: the last event and the result, together.</summary>
    private void Finish(JobRun run, Step step, JobEventKind kind, string detail, Decision? decision = null)
    {
        run.Result = ResultOf(run);
        step.Ended = run.Result;
        step.Timers.AddRange(run.Timers);
        run.Timers.Clear();
        Record(run, step, null, kind, detail, decision);
    }

    /// <summary>Call under the job's gate, once its lifecycle is terminal: its result.</summary>
    internal static JobResult ResultOf(JobRun run)
    {
        var tasks = run.Graph.TaskIds.Select(id => run.Tasks[id]).ToArray();
        return new JobResult(
            run.Id,
            run.Lifecycle.Current,
            run.Lifecycle.Current == JobLifecycle.State.Succeeded ? null : run.Reason,
            tasks.Where(task => task.State == JobTaskState.Succeeded).ToDictionary(task => task.Spec.Id, task => task.Result, StringComparer.Ordinal),
            tasks.Where(task => task.State != JobTaskState.Succeeded)
                .ToDictionary(task => task.Spec.Id, task => task.Error ?? $"It is {task.State.ToString().ToLowerInvariant()}.", StringComparer.Ordinal))
        {
            Saga = run.Saga?.Current,
            Compensations = [.. run.Compensations],
        };
    }

    /// <summary>The decision to end a job that failed because some of its tasks did.</summary>
    private static Decision JobEndDecision(IEnumerable<JobTaskRecord> tasks)
    {
        var counts = tasks.GroupBy(task => task.State).OrderBy(group => group.Key).Select(group => $"{group.Count()} {group.Key.ToString().ToLowerInvariant()}");
        return new Decision(PolicyText.JobEnd, $"No task can run anymore: {string.Join(", ", counts)}.", "The job failed.");
    }

    /// <summary>The budgets of the job and of its tasks, as the policy of a budget decision.</summary>
    private static string BudgetPolicy(JobRun run, string reason)
    {
        var taskBudgets = run.Tasks.Values
            .Where(task => task.Spec.Budget != TaskBudget.Unlimited && reason.Contains($"'{task.Spec.Id}'", StringComparison.Ordinal))
            .Select(task => $"task '{task.Spec.Id}' {task.Spec.Budget}");
        return $"Budgets: a job ends, failed, as soon as it or one of its tasks passes a budget. Job {run.Graph.Spec.Budget}{string.Concat(taskBudgets.Select(b => "; " + b))}.";
    }

    /// <summary>Call under the job's gate.</summary>
    private void Record(JobRun run, Step step, string? taskId, JobEventKind kind, string detail, Decision? decision = null)
    {
        run.Events.Add(new JobEvent(_tasks.TimeProvider.GetUtcNow(), run.Id, taskId, kind, detail) { Decision = decision });
        if (step.Wake is null)
        {
            step.Wake = run.Changed;
            run.Changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>A step's effects, after the job's gate is released.</summary>
    private void Apply(JobRun run, Step step)
    {
        foreach (var (taskId, engineId) in step.Follow)
        {
            _ = FollowAsync(run, engineId, (ended, next) => TaskEnded(run, taskId, ended, next));
        }

        foreach (var (index, engineId) in step.FollowCompensations)
        {
            _ = FollowAsync(run, engineId, (ended, next) => CompensationEnded(run, index, ended, next));
        }

        foreach (var timer in step.Timers)
        {
            timer.Dispose();
        }

        if (_durable is not null && run.Row is not null && (step.Wake is not null || step.Ended is not null))
        {
            // Watchers and waiters hear of a change once it is stored, so what they saw survives a crash.
            _ = SaveThenSignalAsync(run, step.Wake, step.Ended);
            return;
        }

        Signal(run, step.Wake, step.Ended);
    }

    private static void Signal(JobRun run, TaskCompletionSource? wake, JobResult? ended)
    {
        wake?.TrySetResult();
        if (ended is not null)
        {
            run.Completion.TrySetResult(ended);
        }
    }

    /// <summary>What one change under a job's gate leaves to do once the gate is released.</summary>
    private sealed class Step
    {
        public List<(string TaskId, string EngineId)> Follow { get; } = [];

        public List<(int Index, string EngineId)> FollowCompensations { get; } = [];

        /// <summary>The watchers' signal that was current when the first event of the step was added.</summary>
        public TaskCompletionSource? Wake { get; set; }

        public JobResult? Ended { get; set; }

        /// <summary>The job's deadline timers, to dispose once it ended.</summary>
        public List<ITimer> Timers { get; } = [];
    }
}
