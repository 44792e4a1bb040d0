using Microsoft.Extensions.Logging;

namespace Weaver;

/// <summary>One attempt of one task, as its handler sees it.</summary>
public sealed class TaskContext
{
    private readonly LeaseKeeper _keeper;
    private readonly Lock _gate = new();
    private readonly List<Decision> _decisions = [];
    private decimal _cost;

    /// <summary>Creates the context of an attempt running under <paramref name="keeper"/>'s lease.</summary>
    /// <param name="taskId">The task's id.</param>
    /// <param name="kind">The task kind (its handler's name).</param>
    /// <param name="attempt">Which attempt this is, from 1.</param>
    /// <param name="keeper">The lease plumbing of this attempt.</param>
    /// <param name="logger">Where the handler logs.</param>
    /// <param name="artifacts">
    /// Where the attempt stores its artifacts. Workers pass the engine's fenced writer; when null (a handler test),
    /// artifacts are off and every <see cref="Artifacts"/> call says so. To test a handler's artifacts, pass
    /// <c>new AttemptArtifacts(store, JobTaskRef.Standalone(taskId), attempt)</c>.
    /// </param>
    public TaskContext(string taskId, string kind, int attempt, LeaseKeeper keeper, ILogger logger, AttemptArtifacts? artifacts = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        ArgumentNullException.ThrowIfNull(keeper);
        ArgumentNullException.ThrowIfNull(logger);
        TaskId = taskId;
        Kind = kind;
        Attempt = attempt;
        _keeper = keeper;
        Logger = logger;
        Artifacts = artifacts ?? new AttemptArtifacts(store: null, JobTaskRef.Standalone(taskId), attempt);
    }

    /// <summary>The task's id.</summary>
    public string TaskId { get; }

    /// <summary>The task kind (its handler's name).</summary>
    public string Kind { get; }

    /// <summary>Which attempt this is, from 1.</summary>
    public int Attempt { get; }

    /// <summary>The lease this attempt runs under: owner, epoch (the fencing token) and expiry, as last renewed.</summary>
    public Lease<string> Lease => _keeper.Lease;

    /// <summary>Cancelled when the task or its job is cancelled, the worker shuts down, or the lease is lost.</summary>
    public CancellationToken CancellationToken => _keeper.Token;

    /// <summary>Where the handler logs.</summary>
    public ILogger Logger { get; }

    /// <summary>
    /// This attempt's artifacts: files, text, stdout and stderr, links, stored under the task's job, task and this
    /// attempt's number, and recorded only while the attempt holds the task's lease (a put after the lease was lost
    /// throws <see cref="LeaseLostException"/>). Off, with every call saying so, unless the engine was given a store
    /// (<see cref="TaskEngineOptions.Artifacts"/>).
    /// </summary>
    public AttemptArtifacts Artifacts { get; }

    /// <summary>The cost this attempt has reported so far.</summary>
    public decimal Cost
    {
        get
        {
            lock (_gate)
            {
                return _cost;
            }
        }
    }

    /// <summary>Renews the lease now, besides the automatic heartbeats (useful before a long step).</summary>
    /// <exception cref="LeaseLostException">The lease is lost: stop, the result can no longer be committed.</exception>
    public void Heartbeat() => _keeper.Heartbeat();

    /// <summary>
    /// Renews the attempt's lease now without blocking a thread while a durable store answers; heartbeats also run on a
    /// timer, so call this only around long steps that must not outlive the lease.
    /// </summary>
    /// <returns>A task that completes once the lease is renewed.</returns>
    /// <exception cref="LeaseLostException">The lease is lost; <see cref="CancellationToken"/> is cancelled.</exception>
    public ValueTask HeartbeatAsync() => _keeper.HeartbeatAsync();

    /// <summary>Adds to this attempt's cost (tokens, money, time): budgets are checked against the total.</summary>
    /// <param name="amount">A non-negative amount.</param>
    public void ReportCost(decimal amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        lock (_gate)
        {
            _cost += amount;
        }
    }

    /// <summary>
    /// Records a decision the handler took, with its evidence and the rule it followed, in the task's history: it is
    /// part of what <see cref="IWeaverClient.ExplainAsync"/> tells. Fenced like every write: a decision of an attempt that
    /// lost its lease is rejected.
    /// </summary>
    /// <param name="policy">The rule followed, such as <c>"review: at most 3 rounds"</c>.</param>
    /// <param name="evidence">What it was applied to.</param>
    /// <param name="change">What the handler did because of it.</param>
    /// <exception cref="LeaseLostException">The lease is lost: nothing was recorded.</exception>
    public void RecordDecision(string policy, string evidence, string change)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(policy);
        ArgumentException.ThrowIfNullOrWhiteSpace(evidence);
        ArgumentException.ThrowIfNullOrWhiteSpace(change);
        var decision = new Decision(policy, evidence, change);
        if (DecisionSink is { } sink && !sink(decision))
        {
            throw new LeaseLostException(TaskId, Lease.Owner, Lease.Epoch, "decision");
        }

        lock (_gate)
        {
            _decisions.Add(decision);
        }
    }

    /// <summary>The decisions this attempt recorded, oldest first.</summary>
    public IReadOnlyList<Decision> Decisions
    {
        get
        {
            lock (_gate)
            {
                return [.. _decisions];
            }
        }
    }

    /// <summary>Where the worker records decisions (the engine, fenced by the lease); null in a handler test.</summary>
    internal Func<Decision, bool>? DecisionSink { get; init; }
}
