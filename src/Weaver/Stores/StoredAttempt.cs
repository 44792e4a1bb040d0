namespace Weaver;

/// <summary>A claimed attempt: its lease, fenced by <see cref="Epoch"/>, is what lets its worker write.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="Kind">The name of the handler that runs it.</param>
/// <param name="Input">The handler's input, as JSON.</param>
/// <param name="Number">Which attempt this is, from 1.</param>
/// <param name="Owner">The worker that claimed it.</param>
/// <param name="Epoch">The lease's epoch, greater than every earlier epoch of the task.</param>
/// <param name="ExpiresAt">When the lease goes stale unless renewed, by the store's clock (UTC).</param>
public sealed record StoredAttempt(string TaskId, string Kind, string? Input, int Number, string Owner, long Epoch, DateTimeOffset ExpiresAt)
{
    /// <summary>Resource keys the attempt must hold while its handler runs.</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];

    /// <summary>The job and job task it runs, when it belongs to a job.</summary>
    public JobTaskRef? Job { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> its task was submitted in (<see cref="NewTask.TraceParent"/>): the worker's span of the
    /// attempt is its child. Null when none.
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>The W3C <c>tracestate</c> that came with <see cref="TraceParent"/>.</summary>
    public string? TraceState { get; init; }

    /// <summary>The attempt's lease, as the worker's <see cref="LeaseKeeper"/> and <see cref="TaskContext"/> show it.</summary>
    public Lease<string> Lease => new(TaskId, Owner, Epoch, ExpiresAt);
}
