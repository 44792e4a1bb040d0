namespace Weaver.Stores.Tests.Conformance;

/// <summary>
/// One storage provider under the conformance suite: each concrete test class passes one, and every abstract test runs
/// against a fresh, empty store it creates.
/// </summary>
public abstract class StoreProvider
{
    /// <summary>The provider's name, for messages.</summary>
    public abstract string Name { get; }

    /// <summary>Creates a fresh, empty store that judges leases by <see cref="StoreSetup.Time"/>.</summary>
    /// <param name="setup">The clock, the lease timing and the task kinds.</param>
    /// <returns>The store; the test disposes it.</returns>
    public abstract Task<IWeaverStore> CreateAsync(StoreSetup setup);
}
