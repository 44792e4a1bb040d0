namespace Weaver;

/// <summary>One started attempt, as a <see cref="WorkerGroup"/> runs it: every write goes through its source's fencing.</summary>
internal abstract class ClaimedAttempt
{
    /// <summary>The task.</summary>
    public abstract string TaskId { get; }

    /// <summary>The handler's name.</summary>
    public abstract string Kind { get; }

    /// <summary>Which attempt, from 1.</summary>
    public abstract int Number { get; }

    /// <summary>The lease the attempt started under.</summary>
    public abstract Lease<string> Lease { get; }

    /// <summary>The W3C <c>traceparent</c> of the span that submitted the task; null when it was submitted outside one.</summary>
    public abstract string? TraceParent { get; }

    /// <summary>The W3C <c>tracestate</c> that came with <see cref="TraceParent"/>.</summary>
    public abstract string? TraceState { get; }

    /// <summary>Cancelled when the task is cancelled while it runs (the engine knows at once; a store at the next heartbeat).</summary>
    public abstract CancellationToken Cancellation { get; }

    /// <summary>
    /// The keeper of the attempt's lease, with no timer of its own: the group's <see cref="HeartbeatTicker"/> renews it.
    /// Its token is cancelled when the lease is lost, the task is cancelled, or <paramref name="stopping"/> is.
    /// </summary>
    /// <param name="stopping">Stops the attempt for another reason (the group's grace period ended).</param>
    /// <returns>The keeper; the caller disposes it.</returns>
    public abstract LeaseKeeper Keep(CancellationToken stopping);

    /// <summary>The handler's input.</summary>
    /// <param name="registration">The handler.</param>
    /// <returns>The input.</returns>
    /// <exception cref="InvalidTaskInputException">A stored input does not deserialize as the handler's input type.</exception>
    public abstract object? ReadInput(HandlerRegistration registration);

    /// <summary>Where the handler stores its artifacts.</summary>
    /// <returns>The attempt's artifact writer.</returns>
    public abstract AttemptArtifacts Artifacts();

    /// <summary>Records a handler's decision under the attempt's lease.</summary>
    /// <param name="decision">The decision.</param>
    /// <returns>False when the lease was lost.</returns>
    public abstract bool RecordDecision(Decision decision);

    /// <summary>Commits the result under the attempt's lease.</summary>
    /// <param name="registration">The handler.</param>
    /// <param name="result">The result.</param>
    /// <param name="cost">What the attempt cost.</param>
    /// <returns>False when the commit was rejected: the lease was lost first.</returns>
    public abstract ValueTask<bool> CompleteAsync(HandlerRegistration registration, object? result, decimal cost);

    /// <summary>Records the failure under the attempt's lease.</summary>
    /// <param name="error">The handler's exception.</param>
    /// <param name="cost">What the attempt cost.</param>
    /// <returns>False when the failure was rejected: the lease was lost first.</returns>
    public abstract ValueTask<bool> FailAsync(Exception error, decimal cost);

    /// <summary>Hands the attempt back (the worker is shutting down).</summary>
    /// <param name="reason">Why.</param>
    /// <returns>False when the hand-back was rejected: the lease was lost first.</returns>
    public abstract ValueTask<bool> AbandonAsync(string reason);
}
