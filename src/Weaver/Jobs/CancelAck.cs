namespace Weaver;

/// <summary>What a call to <see cref="IWeaverClient.CancelJobAsync"/> did.</summary>
/// <param name="JobId">The job.</param>
/// <param name="AlreadyEnded">
/// <see langword="true"/> when the job had already ended (or been cancelled) before this call, which then changed nothing.
/// </param>
/// <param name="CancelledTasks">The ids of the tasks this call cancelled, in topological order; empty when it changed nothing.</param>
/// <param name="State">The job's state after the call.</param>
public sealed record CancelAck(JobId JobId, bool AlreadyEnded, IReadOnlyList<string> CancelledTasks, JobLifecycle.State State);
