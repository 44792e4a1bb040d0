namespace Weaver;

/// <summary>A task to store (<see cref="IWeaverStore.CreateTaskAsync"/>).</summary>
/// <param name="Id">Its id; not empty, unique in the store.</param>
/// <param name="Kind">The name of the handler that runs it.</param>
/// <param name="Input">The handler's input, as JSON.</param>
/// <param name="Retry">How many attempts it gets and how long a retry waits.</param>
public sealed record NewTask(string Id, string Kind, string? Input, RetryPolicy Retry)
{
    /// <summary>Resource keys the task must hold while its handler runs (<see cref="IWeaverStore.TryAcquireLocksAsync"/>).</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];

    /// <summary>The job and job task it runs, when it belongs to a job.</summary>
    public JobTaskRef? Job { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the span that submitted the task: each attempt's span is its child
    /// (<see cref="WeaverTelemetry"/>), in whichever process runs it. When null, the store takes the one of
    /// <see cref="System.Diagnostics.Activity.Current"/> as it creates the task (<see cref="WithCurrentTraceContext"/>).
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>The W3C <c>tracestate</c> that goes with <see cref="TraceParent"/>; null when there is none.</summary>
    public string? TraceState { get; init; }

    /// <summary>
    /// This task with the trace context of <see cref="System.Diagnostics.Activity.Current"/> when it has none of its own:
    /// a store calls it as it creates the task, so the task carries the trace of the code that submitted it.
    /// </summary>
    /// <returns>This task, or a copy that carries the current span's <c>traceparent</c> and <c>tracestate</c>.</returns>
    public NewTask WithCurrentTraceContext() =>
        TraceParent is null && TraceState is null && SubmitterTrace.TryCurrent(out var traceParent, out var traceState)
            ? this with { TraceParent = traceParent, TraceState = traceState }
            : this;

    /// <summary>Checks what a store needs of a task before it writes anything.</summary>
    /// <returns>This task.</returns>
    /// <exception cref="ArgumentException">
    /// An id or kind is empty or white space, the retry policy is invalid, or the trace context is not W3C; says what is allowed.
    /// </exception>
    public NewTask Validate()
    {
        if (string.IsNullOrWhiteSpace(Id))
        {
            throw new ArgumentException($"A task id must not be empty or white space (got '{Id}').", nameof(Id));
        }

        if (string.IsNullOrWhiteSpace(Kind))
        {
            throw new ArgumentException($"Task '{Id}': its kind must name a handler; it is empty or white space.", nameof(Kind));
        }

        ArgumentNullException.ThrowIfNull(Retry);
        Retry.Validate();
        if (Resources.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"Task '{Id}': a resource key is empty or white space.", nameof(Resources));
        }

        if (TraceParent is null ? TraceState is not null : !SubmitterTrace.IsValid(TraceParent, TraceState))
        {
            throw new ArgumentException(
                $"Task '{Id}': the trace context (traceparent '{TraceParent}', tracestate '{TraceState}') is not W3C trace context; pass a "
                + "traceparent such as '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' (version, 32 hex digits of trace id, "
                + "16 of span id, 2 of flags) with an optional tracestate, or leave both null.",
                nameof(TraceParent));
        }

        return this;
    }
}
