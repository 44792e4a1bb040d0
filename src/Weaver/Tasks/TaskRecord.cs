namespace Weaver;

/// <summary>
/// The in-memory engine's row for one task. Its few writes (start, commit, fail, reclaim, cancel) are made under
/// <see cref="Gate"/>, which is never held across an await, and each is fenced by the lease epoch of the running attempt.
/// </summary>
internal sealed class TaskRecord(string id, string kind, object? input, RetryPolicy retry, IReadOnlyList<string> resources)
{
    private readonly List<TaskEvent> _history = [];

    public Lock Gate { get; } = new();

    public string Id { get; } = id;

    public string Kind { get; } = kind;

    public object? Input { get; } = input;

    /// <summary>The job and job task it runs, when it belongs to a job.</summary>
    public JobTaskRef? Job { get; init; }

    /// <summary>The W3C trace context it was submitted in (<see cref="NewTask.TraceParent"/>).</summary>
    public string? TraceParent { get; init; }

    /// <summary>The W3C <c>tracestate</c> that came with <see cref="TraceParent"/>.</summary>
    public string? TraceState { get; init; }

    /// <summary>Its place in the order of creation: claims through the store take the earliest created first.</summary>
    public long Sequence { get; init; }

    /// <summary>When it was submitted (UTC).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// The lease of its latest attempt (its epoch is the task's latest; its owner and expiry count only while the task
    /// runs); null before the first attempt. Its expiry is the one given at the start or by the store's last renewal.
    /// </summary>
    public Lease<string>? LatestLease { get; set; }

    public RetryPolicy Retry { get; } = retry;

    /// <summary>The normalized resource keys the task holds while it runs.</summary>
    public IReadOnlyList<string> Resources { get; } = resources;

    /// <summary>The resource locks of the running attempt, if it has any.</summary>
    public ResourceLease? HeldResources { get; set; }

    public TaskLifecycle Lifecycle { get; } = new();

    public int Attempts { get; set; }

    /// <summary>The lease epoch of the running attempt (0 when none runs).</summary>
    public long RunEpoch { get; set; }

    public DateTimeOffset DueAt { get; set; }

    public object? Result { get; set; }

    public string? Error { get; set; }

    /// <summary>Cancels the running attempt's handler when the task is cancelled.</summary>
    public CancellationTokenSource? AttemptCancellation { get; set; }

    public TaskCompletionSource<TaskSnapshot> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Call under <see cref="Gate"/>: the event happened (the engine's rows are its store), so it is also counted.</summary>
    public void Record(TaskEvent entry)
    {
        _history.Add(entry);
        WeaverMetrics.Committed(Kind, entry);
    }

    /// <summary>Call under <see cref="Gate"/>.</summary>
    public TaskSnapshot Snapshot() => new(Id, Kind, Lifecycle.Current, Attempts, Result, Error, _history.ToArray()) { Cost = Cost, Job = Job };

    /// <summary>The cost its finished attempts reported, in all.</summary>
    public decimal Cost { get; set; }
}
