namespace Weaver;

/// <summary>
/// Runs one kind of task. Mark the class <c>[TaskHandler("name")]</c> and <c>partial</c>; Weaver's generator registers
/// it without reflection, and the runtime runs it under a lease: it heartbeats while
/// <see cref="HandleAsync"/> runs, cancels <see cref="TaskContext.CancellationToken"/> the moment the lease is lost,
/// and commits the result only with the lease's current epoch.
/// </summary>
/// <typeparam name="TInput">The task's input.</typeparam>
/// <typeparam name="TResult">What a successful run produces.</typeparam>
public interface ITaskHandler<in TInput, TResult>
{
    /// <summary>Does the work. Throw to fail the attempt (it is retried per the task's retry policy).</summary>
    /// <param name="input">The task's input.</param>
    /// <param name="context">The attempt: lease, cancellation, heartbeat, cost reporting, logger.</param>
    /// <returns>The result to commit.</returns>
    ValueTask<TResult> HandleAsync(TInput input, TaskContext context);
}
