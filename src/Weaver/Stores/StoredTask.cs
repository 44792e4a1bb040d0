namespace Weaver;

/// <summary>A task as a store holds it.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Kind">The name of the handler that runs it.</param>
/// <param name="State">Where it is in its <see cref="TaskLifecycle"/>.</param>
/// <param name="Input">The handler's input, as JSON.</param>
/// <param name="Attempts">How many attempts started.</param>
/// <param name="Retry">Its retry policy.</param>
/// <param name="Epoch">The epoch of its latest lease; 0 before its first claim.</param>
/// <param name="Owner">The worker of the running attempt; null unless <see cref="TaskLifecycle.State.Running"/>.</param>
/// <param name="LeaseExpiresAt">When the running attempt's lease goes stale unless renewed; null unless running.</param>
/// <param name="DueAt">When a scheduled retry may start; null unless <see cref="TaskLifecycle.State.RetryScheduled"/>.</param>
/// <param name="Result">The committed result, as JSON, once it succeeded.</param>
/// <param name="Error">The last attempt's error, if one failed.</param>
/// <param name="Cost">What its attempts cost, summed.</param>
/// <param name="CreatedAt">When it was stored (UTC).</param>
public sealed record StoredTask(
    string Id,
    string Kind,
    TaskLifecycle.State State,
    string? Input,
    int Attempts,
    RetryPolicy Retry,
    long Epoch,
    string? Owner,
    DateTimeOffset? LeaseExpiresAt,
    DateTimeOffset? DueAt,
    string? Result,
    string? Error,
    decimal Cost,
    DateTimeOffset CreatedAt)
{
    /// <summary>Resource keys it holds while it runs.</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];

    /// <summary>The job and job task it runs, when it belongs to a job.</summary>
    public JobTaskRef? Job { get; init; }

    /// <summary>The W3C <c>traceparent</c> it was submitted in (<see cref="NewTask.TraceParent"/>); null when none.</summary>
    public string? TraceParent { get; init; }

    /// <summary>The W3C <c>tracestate</c> that came with <see cref="TraceParent"/>.</summary>
    public string? TraceState { get; init; }

    /// <summary>Whether it has ended: succeeded, dead or cancelled.</summary>
    public bool IsTerminal => TaskLifecycle.IsTerminalState(State);
}
