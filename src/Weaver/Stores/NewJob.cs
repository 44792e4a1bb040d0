namespace Weaver;

/// <summary>A job (or saga) to store (<see cref="IWeaverStore.CreateJobAsync"/>).</summary>
/// <param name="Id">Its id; not empty, unique in the store.</param>
/// <param name="State">Its state's name (a <see cref="JobLifecycle"/> or <see cref="SagaLifecycle"/> state).</param>
/// <param name="Document">Everything else about it, as JSON: its spec, its tasks' states, its events.</param>
public sealed record NewJob(string Id, string State, string Document);
