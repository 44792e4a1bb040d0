namespace Weaver.Stores.Tests.MultiProcess;

/// <summary>
/// One store that a test's worker processes share: what the workers are told (<see cref="Store"/>,
/// <see cref="Connection"/>) and how the test opens it itself, to submit tasks and read them back. Disposing removes it.
/// </summary>
public abstract class MultiProcessTarget : IAsyncDisposable
{
    /// <summary>The worker's <c>--store</c>: <c>sqlite</c> or <c>postgres</c>.</summary>
    public abstract string Store { get; }

    /// <summary>The worker's <c>--connection</c>: a database file or a connection string.</summary>
    public abstract string Connection { get; }

    /// <summary>Opens the store in the test process, with the lease timing the workers use.</summary>
    /// <param name="leases">The lease timing.</param>
    /// <returns>The store; the test disposes it.</returns>
    public abstract Task<IWeaverStore> OpenAsync(LeaseOptions leases);

    /// <summary>Removes the store (its file or database), if the provider can.</summary>
    /// <returns>A task.</returns>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
