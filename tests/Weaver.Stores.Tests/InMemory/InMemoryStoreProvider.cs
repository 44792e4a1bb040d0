using Weaver.Stores.Tests.Conformance;

namespace Weaver.Stores.Tests.InMemory;

/// <summary>The in-memory store: a <see cref="TaskEngine"/> with a handler for each kind of the setup.</summary>
public sealed class InMemoryStoreProvider : StoreProvider
{
    /// <inheritdoc/>
    public override string Name => "in-memory";

    /// <inheritdoc/>
    public override Task<IWeaverStore> CreateAsync(StoreSetup setup)
    {
        var registry = new HandlerRegistry();
        foreach (var kind in setup.Kinds)
        {
            registry.Add(HandlerRegistration.Create<EchoHandler, string, string>(kind, static () => new EchoHandler()));
        }

        IWeaverStore store = new TaskEngine(registry, new TaskEngineOptions
        {
            Leases = setup.Leases,
            TimeProvider = setup.Time,
            JitterSource = setup.JitterSource,
        });
        return Task.FromResult(store);
    }

    /// <summary>A handler for the kinds the tests create; the store's tests never run it.</summary>
    private sealed class EchoHandler : ITaskHandler<string, string>
    {
        public ValueTask<string> HandleAsync(string input, TaskContext context) => ValueTask.FromResult(input);
    }
}
