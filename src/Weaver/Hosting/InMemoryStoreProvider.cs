namespace Weaver;

/// <summary>The store of <see cref="WeaverOptions.UseInMemory"/>: a <see cref="TaskEngine"/> in this process.</summary>
internal sealed class InMemoryStoreProvider(Func<TaskEngineOptions, TaskEngineOptions>? configure) : WeaverStoreProvider
{
    private const string Method = nameof(WeaverOptions.UseInMemory);

    public override string Description => "in-memory";

    public override IEnumerable<string> Validate(WeaverStoreContext context)
    {
        if (!context.Options.RunWorkers)
        {
            yield return "UseInMemory keeps tasks in this process's memory, where no other process can run them, so RunWorkers must be true; "
                + "a process that only submits jobs needs a shared store (UseSqlite or UsePostgreSql).";
        }

        if (context.Options.Kinds.Count > 0)
        {
            yield return $"Kinds ({string.Join(", ", context.Options.Kinds.Select(k => $"'{k}'"))}) chooses which of a shared store's tasks this "
                + "process runs; with UseInMemory every task runs in this process, so leave Kinds empty and register only the handlers it runs.";
        }

        if (!TryMakeOptions(Method, () => EngineOptions(context), out var options, out var problem))
        {
            yield return problem;
        }
        else if (context.LeasesProblem(options.Leases, Method) is { } leases)
        {
            yield return leases;
        }
    }

    public override Task<IWeaverStore> OpenAsync(WeaverStoreContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IWeaverStore>(new TaskEngine(context.Handlers, EngineOptions(context)));
    }

    private TaskEngineOptions EngineOptions(WeaverStoreContext context)
    {
        var options = new TaskEngineOptions
        {
            Leases = context.Options.Leases,
            Retry = context.Options.Retry,
            TimeProvider = context.TimeProvider,
            Artifacts = context.Options.Artifacts,
        };
        return Configure(options, configure, Method);
    }
}
