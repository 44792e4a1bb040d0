namespace Weaver;

/// <summary>
/// The coordinator's state for one job. Everything mutable is changed under <see cref="Gate"/>, which is never held
/// across an await; waiters and watchers are woken after it is released.
/// </summary>
internal sealed class JobRun
{
    public JobRun(JobId id, JobGraph graph)
    {
        Id = id;
        Graph = graph;
        Tasks = graph.TaskIds.ToDictionary(
            task => task,
            task => new JobTaskRecord(graph[task], $"{id}/{task}", graph.DependenciesOf(task).Count),
            StringComparer.Ordinal);
    }

    public Lock Gate { get; } = new();

    public JobId Id { get; }

    /// <summary>The job's graph; replaced, with the children added, when a task is decomposed.</summary>
    public JobGraph Graph { get; set; }

    public JobLifecycle Lifecycle { get; set; } = new();

    public Dictionary<string, JobTaskRecord> Tasks { get; }

    /// <summary>Every event so far, oldest first; watchers read it by position.</summary>
    public List<JobEvent> Events { get; } = [];

    /// <summary>The deadline timers of the job and of its queued tasks, disposed when the job ends.</summary>
    public List<ITimer> Timers { get; } = [];

    /// <summary>Why the job failed or was cancelled.</summary>
    public string? Reason { get; set; }

    /// <summary>Set together with the job's terminal event, once the job has fully ended.</summary>
    public JobResult? Result { get; set; }

    /// <summary>Set when the coordinator is disposed before the job ended: watchers stop.</summary>
    public bool Abandoned { get; set; }

    /// <summary>Completed, after <see cref="Gate"/> is released, and replaced whenever events are added.</summary>
    public TaskCompletionSource Changed { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<JobResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The saga's lifecycle, once a task with a compensation is part of the job; <see langword="null"/> before.</summary>
    public SagaLifecycle? Saga { get; set; }

    /// <summary>
    /// For a saga that stopped running forward (a task failed, it was cancelled, or a budget was reached): how the job will
    /// end once its compensations are done. Set once.
    /// </summary>
    public JobLifecycle.State? EndAs { get; set; }

    /// <summary>The tasks with a compensation whose handler succeeded, in the order their success was seen.</summary>
    public List<string> Undo { get; } = [];

    /// <summary>The saga's compensations, in the order they run; empty until it compensates.</summary>
    public List<CompensationRecord> Compensations { get; } = [];

    /// <summary>Notes added after the fact; the one thing that changes after the job ended.</summary>
    public List<AuditEntry> Audit { get; } = [];

    /// <summary>Whether the job still moves forward: it runs, and, for a saga, has not begun to end.</summary>
    /// <summary>The job's row in the store, for a store-backed coordinator's own job; null in memory and for a read-only view.</summary>
    public JobRow? Row { get; set; }

    public bool IsRunningForward => Lifecycle.Current == JobLifecycle.State.Running && EndAs is null;
}
