namespace Weaver;

/// <summary>
/// How to undo one task of a saga once it has succeeded: a task of another kind, run when a later step fails or the saga
/// is cancelled.
/// </summary>
/// <param name="Kind">The task kind that undoes it; not empty or white space, with a registered handler.</param>
/// <remarks>A compensation must be safe to run more than once (it runs at least once, like every task).</remarks>
public sealed record CompensationSpec(string Kind)
{
    /// <summary>
    /// The compensation's input. <see langword="null"/> (the default) hands it the result the compensated task committed,
    /// which usually says what to undo (a reservation id, a created resource).
    /// </summary>
    public object? Input { get; init; }

    /// <summary>How the compensation is retried; <see langword="null"/> (the default) for the engine's default policy.</summary>
    public RetryPolicy? Retry { get; init; }
}
