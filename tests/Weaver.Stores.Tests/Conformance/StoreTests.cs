namespace Weaver.Stores.Tests.Conformance;

/// <summary>
/// The base of every abstract conformance class: it holds the provider, and opens a fresh store per test
/// (<see cref="OpenAsync"/>), which the test disposes (<c>await using</c>).
/// </summary>
/// <param name="provider">The provider under test.</param>
public abstract class StoreTests(StoreProvider provider)
{
    /// <summary>The provider under test.</summary>
    protected StoreProvider Provider { get; } = provider;

    /// <summary>Opens a fresh, empty store.</summary>
    /// <param name="setup">Its clock, leases and kinds; <see cref="StoreSetup.Default"/> when null.</param>
    /// <returns>The store, with helpers; dispose it.</returns>
    protected async Task<StoreHarness> OpenAsync(StoreSetup? setup = null)
    {
        setup ??= StoreSetup.Default();
        var store = await Provider.CreateAsync(setup);
        return new StoreHarness(store, setup);
    }
}
