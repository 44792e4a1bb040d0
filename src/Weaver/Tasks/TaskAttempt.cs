namespace Weaver;

/// <summary>One started attempt, as the worker that claimed it holds it. Every write it makes is fenced by its lease.</summary>
/// <param name="TaskId">The task's id.</param>
/// <param name="Kind">Its handler's name.</param>
/// <param name="Input">Its input.</param>
/// <param name="Number">Which attempt this is, from 1.</param>
/// <param name="Lease">The lease it runs under; its epoch is the fencing token.</param>
/// <param name="Cancellation">Cancelled when the task is cancelled.</param>
public sealed record TaskAttempt(string TaskId, string Kind, object? Input, int Number, Lease<string> Lease, CancellationToken Cancellation)
{
    /// <summary>
    /// The job and job task the attempt runs, when its task belongs to a job; its artifacts are keyed by it. Null for a
    /// standalone task, whose artifacts are keyed by <see cref="JobTaskRef.Standalone"/> of <see cref="TaskId"/>.
    /// </summary>
    public JobTaskRef? Job { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the span that submitted the task (<see cref="WeaverTelemetry"/>): the attempt's span is
    /// its child. Null when the task was submitted outside a span.
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>The W3C <c>tracestate</c> that came with <see cref="TraceParent"/>.</summary>
    public string? TraceState { get; init; }
}
