using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Weaver;

/// <summary>
/// Jobs kept in an <see cref="IWeaverStore"/>, so they outlive the process that submitted them (ADR 0022): each change
/// is written to the job's document, under the revision it read, and a coordinator that stopped is taken over.
/// </summary>
public sealed partial class JobCoordinator
{
    private readonly DurableJobs? _durable;
    private readonly ITimer? _heartbeat;

    /// <summary>
    /// Creates a coordinator whose jobs live in <paramref name="store"/>: any worker on the store runs their tasks, and
    /// after a crash or a restart another coordinator resumes them (<see cref="ResumeAsync"/>).
    /// </summary>
    /// <param name="store">The store: SQLite or PostgreSQL to share jobs between processes, or a <see cref="TaskEngine"/>.</param>
    /// <param name="handlers">The handlers, to check the kinds a job names (the workers that run them may be elsewhere).</param>
    /// <param name="options">Polling, JSON and the coordinator's name; defaults when null.</param>
    /// <remarks>
    /// <para>A job is coordinated by one coordinator at a time: the one that submitted it, or that took it over. It
    /// heartbeats its jobs' rows every <see cref="LeaseOptions.HeartbeatInterval"/> of the store's leases, and a job whose row
    /// was not written for <see cref="LeaseOptions.StaleAfter"/> may be taken over. Every write names the revision it
    /// read, so a coordinator that was taken over cannot write the job again: it stops following it.</para>
    /// <para>Reads (<see cref="GetStatusAsync"/>, <see cref="ExplainAsync"/>, <see cref="GetResultAsync"/>,
    /// <see cref="WaitForJobAsync"/>, <see cref="WatchAsync"/>) work for every job in the store, wherever it is
    /// coordinated. Task inputs and results are JSON: the results deciders and <see cref="JobResult.Results"/> see are
    /// <see cref="System.Text.Json.JsonElement"/>s.</para>
    /// </remarks>
    public JobCoordinator(IWeaverStore store, HandlerRegistry handlers, JobCoordinatorOptions? options = null)
        : this(Tasks(store, handlers, options, out var durable), durable)
    {
        _heartbeat = _durable!.TimeProvider.CreateTimer(_ => _ = HeartbeatAsync(), null, store.Leases.HeartbeatInterval, store.Leases.HeartbeatInterval);
    }

    /// <summary>
    /// Takes over every running job of the store whose coordinator stopped (its row was not written for the store's
    /// <see cref="LeaseOptions.StaleAfter"/>), or that names this coordinator's <see cref="JobCoordinatorOptions.Owner"/>;
    /// its tasks are followed again and it goes on where it was. Call it when a process starts.
    /// </summary>
    /// <returns>The jobs taken over.</returns>
    /// <exception cref="InvalidOperationException">This coordinator runs jobs in memory, not on a store.</exception>
    public async Task<IReadOnlyList<JobId>> ResumeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposing.IsCancellationRequested, this);
        var durable = _durable ?? throw new InvalidOperationException("This coordinator runs jobs in memory, which do not outlive it; only a coordinator on a store resumes jobs.");
        var taken = new List<JobId>();
        foreach (var job in await durable.ListRunningAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = new JobId(job.Id);
            if (!_jobs.ContainsKey(id) && await TakeOverAsync(id, required: false, cancellationToken).ConfigureAwait(false) is { Row: not null })
            {
                taken.Add(id);
            }
        }

        return taken;
    }

    private static StoreJobTasks Tasks(IWeaverStore store, HandlerRegistry handlers, JobCoordinatorOptions? options, out DurableJobs durable)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(handlers);
        options = (options ?? new JobCoordinatorOptions()).Validate();
        var loggers = options.LoggerFactory ?? NullLoggerFactory.Instance;
        durable = new DurableJobs(store, options, loggers.CreateLogger<JobCoordinator>());
        return new StoreJobTasks(store, handlers, options, loggers.CreateLogger<JobCoordinator>());
    }

    /// <summary>
    /// The job, taken over from a coordinator that stopped, and followed from now on; an ended job as read; null when
    /// the store has no such job, or (when not <paramref name="required"/>) another coordinator has it.
    /// </summary>
    /// <exception cref="InvalidOperationException">(<paramref name="required"/>) A live coordinator has the job.</exception>
    private async Task<JobRun?> TakeOverAsync(JobId id, bool required, CancellationToken cancellationToken)
    {
        var durable = _durable!;
        var (run, previousOwner) = await durable.TryTakeOverAsync(id, required, cancellationToken).ConfigureAwait(false);
        if (run?.Row is null)
        {
            return run;
        }

        if (!_jobs.TryAdd(id, run))
        {
            return _jobs[id];
        }

        var step = new Step();
        lock (run.Gate)
        {
            var from = previousOwner is null ? "" : $" from '{previousOwner}'";
            Record(run, step, null, JobEventKind.Resumed, $"Taken over{from} by '{durable.Owner}', which follows the job's tasks again.");
            Restart(run, step);
        }

        Apply(run, step);
        return run;
    }

    /// <summary>Call under the job's gate, for a job just taken over: what was under way is followed again.</summary>
    private void Restart(JobRun run, Step step)
    {
        if (run.Graph.Spec.Budget.Deadline is { } deadline)
        {
            StartDeadline(run, null, deadline, run.Events[0].At);
        }

        foreach (var task in run.Graph.TaskIds.Select(id => run.Tasks[id]).Where(task => task.State == JobTaskState.Queued))
        {
            // Submitted again in case the crash came between the job's write and the task's: it exists, or it is created now.
            _byEngineId[task.EngineId] = (run, task.Spec.Id);
            _tasks.Submit(task.EngineId, task.Spec.Kind, task.Spec.Input, RetryOf(task), task.Spec.Resources, new JobTaskRef(run.Id, task.Spec.Id));
            step.Follow.Add((task.Spec.Id, task.EngineId));
            if (task.Spec.Budget.Deadline is { } taskDeadline)
            {
                var queuedAt = run.Events.LastOrDefault(e => e.TaskId == task.Spec.Id && e.Kind == JobEventKind.TaskQueued)?.At ?? _tasks.TimeProvider.GetUtcNow();
                StartDeadline(run, task.Spec.Id, taskDeadline, queuedAt);
            }
        }

        for (var index = 0; index < run.Compensations.Count; index++)
        {
            if (run.Compensations[index] is { State: CompensationState.Running } running)
            {
                var spec = run.Tasks[running.TaskId].Spec.Compensation!;
                _tasks.Submit(running.EngineTaskId, spec.Kind, spec.Input ?? run.Tasks[running.TaskId].Result, spec.Retry ?? _tasks.DefaultRetry, [], job: null);
                step.FollowCompensations.Add((index, running.EngineTaskId));
            }
        }

        if (run.Saga is not null && !run.IsRunningForward)
        {
            AdvanceCompensation(run, step);
        }
        else
        {
            TryEnd(run, step);
        }
    }

    /// <summary>Saves the job, then tells its watchers and waiters; a job taken over meanwhile is let go.</summary>
    private async Task SaveThenSignalAsync(JobRun run, TaskCompletionSource? wake, JobResult? ended)
    {
        bool saved;
        try
        {
            saved = await _durable!.SaveAsync(run, _disposing.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // the coordinator was disposed: the job is left for another to resume
        }

        if (!saved)
        {
            LetGo(run);
            return;
        }

        Signal(run, wake, ended);
    }

    /// <summary>Another coordinator has the job now: this one stops following it, and its waiters read it from the store.</summary>
    private void LetGo(JobRun run)
    {
        if (!_jobs.TryRemove(new KeyValuePair<JobId, JobRun>(run.Id, run)))
        {
            return;
        }

        ITimer[] timers;
        TaskCompletionSource changed;
        lock (run.Gate)
        {
            timers = [.. run.Timers];
            run.Timers.Clear();
            run.Abandoned = true;
            changed = run.Changed;
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }

        changed.TrySetResult();
        _ = _durable!.WaitForResultAsync(run.Id, _disposing.Token).ContinueWith(
            read => _ = read.IsCompletedSuccessfully ? run.Completion.TrySetResult(read.Result) : run.Completion.TrySetException(read.Exception?.InnerException ?? new OperationCanceledException()),
            TaskScheduler.Default);
    }

    /// <summary>Writes every running job of this coordinator, so other coordinators see it is alive.</summary>
    private async Task HeartbeatAsync()
    {
        foreach (var run in _jobs.Values.Where(run => run.Row is { Lost: false } && run.Result is null))
        {
            try
            {
                if (!await _durable!.SaveAsync(run, _disposing.Token).ConfigureAwait(false))
                {
                    LetGo(run);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception error)
            {
                _durable!.LogHeartbeatFailed(run.Id, error);
            }
        }
    }
}
