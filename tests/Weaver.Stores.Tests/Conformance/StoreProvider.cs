namespace Weaver.Stores.Tests.Conformance;

/// <summary>
/// One storage provider under the conformance suite: each concrete test class passes one, and every abstract test runs
/// against a fresh, empty store it creates.
/// </summary>
public abstract class StoreProvider
{
    /// <summary>The provider's name, for messages.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Creates a fresh, empty store that judges leases by <see cref="StoreSetup.Time"/>, takes retry jitter from
    /// <see cref="StoreSetup.JitterSource"/> and logs to <see cref="StoreSetup.Logs"/>.
    /// </summary>
    /// <param name="setup">The clock, the lease timing, the task kinds, the jitter and the logs.</param>
    /// <returns>The store; the test disposes it.</returns>
    public abstract Task<IWeaverStore> CreateAsync(StoreSetup setup);

    /// <summary>
    /// Writes <paramref name="state"/>, which is not a task state, into the stored row of task <paramref name="taskId"/>,
    /// behind the store's back (an older or newer version's row, or a hand edit): what
    /// <see cref="UnreadableRowConformance"/> needs. Only a provider with rows to corrupt overrides it, and only its
    /// classes derive from that suite.
    /// </summary>
    /// <param name="store">A store this provider created.</param>
    /// <param name="taskId">The task.</param>
    /// <param name="state">The unknown state to write.</param>
    /// <returns>A task that completes when the row is written.</returns>
    public virtual Task CorruptTaskStateAsync(IWeaverStore store, string taskId, string state) =>
        throw new NotSupportedException($"The {Name} store has no rows to corrupt; do not derive its classes from UnreadableRowConformance.");

    /// <summary>The name of the table (or collection) that holds task rows, as <see cref="StoreRowException.Table"/> names it.</summary>
    public virtual string TaskTable => "tasks";
}
