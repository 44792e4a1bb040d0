using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Weaver;

/// <summary>
/// Checks <see cref="WeaverOptions"/> when the host starts (<c>ValidateOnStart</c>) and at the first use of the store or
/// the client, whichever comes first, and reports every problem at once.
/// </summary>
internal sealed class WeaverOptionsValidator(IServiceProvider services) : IValidateOptions<WeaverOptions>
{
    private const string Uses = "UseInMemory() (this process only), UseSqlite(path) (package Weaver.Sqlite) or UsePostgreSql(connectionString) (package Weaver.PostgreSql)";

    public ValidateOptionsResult Validate(string? name, WeaverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        CheckWorkers(options, problems);
        Check(problems, "Leases: ", () => (options.Leases ?? throw new ArgumentException("Leases is null; use LeaseOptions.Default for the defaults.")).Validate());
        Check(problems, "Retry: ", () => (options.Retry ?? throw new ArgumentException("Retry is null; use RetryPolicy.Default for the defaults.")).Validate());
        Check(problems, "Job client: ", () => new JobCoordinatorOptions { PollInterval = options.JobPollInterval, DefaultRetry = RetryPolicy.Default }.Validate());
        if (options.ShutdownGrace is { } grace && grace < TimeSpan.Zero)
        {
            problems.Add($"ShutdownGrace must be zero or more (how long running attempts may take to finish when the host stops), or null to wait until the host's shutdown timeout; it is {grace}.");
        }

        HandlerRegistry? handlers = null;
        try
        {
            handlers = HostedHandlers.Build(services);
        }
        catch (ArgumentException error)
        {
            problems.Add(error.Message);
        }

        if (handlers is not null)
        {
            CheckHandlers(options, handlers, problems);
        }

        foreach (var kind in services.GetServices<WeaverDecider>().GroupBy(d => d.Kind, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add(
                $"{kind.Count()} deciders are registered for kind '{kind.Key}' ({string.Join(", ", kind.Select(d => d.Decider.GetType().Name))}); "
                + "a kind has at most one: remove the extra services.AddWeaverDecider calls.");
        }

        switch (options.Stores.Count)
        {
            case 0:
                problems.Add($"No store is chosen: call one of {Uses} in services.AddWeaver(o => ...).");
                break;
            case 1 when handlers is not null && problems.Count == 0:
                // A store's checks assume valid shared settings (its lease timing comes from them).
                problems.AddRange(options.Stores[0].Validate(HostedHandlers.Context(services, options, handlers)));
                break;
            case > 1:
                problems.Add(
                    $"{options.Stores.Count} stores are chosen ({string.Join(", then ", options.Stores.Select(s => s.Description))}); a Weaver host uses exactly one: "
                    + $"keep one of {Uses} (was services.AddWeaver called more than once?).");
                break;
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void CheckWorkers(WeaverOptions options, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(options.WorkerName))
        {
            problems.Add("WorkerName must not be empty: it names this process in the store (its workers' leases and its job client's jobs).");
            return;
        }

        if (!options.RunWorkers)
        {
            return;
        }

        if (options.WorkerCount < 1)
        {
            problems.Add(
                $"WorkerCount must be at least 1 (how many attempts this process runs at once); it is {options.WorkerCount}. "
                + "For a process that runs no workers (it only submits and follows jobs), set RunWorkers = false.");
        }

        // The worker count is reported above in the host's words; the group's own check covers the other settings.
        Check(problems, string.Empty, () => (WeaverRuntime.WorkerOptions(options, TimeProvider.System) with { Concurrency = 1 }).Validate());
    }

    private static void CheckHandlers(WeaverOptions options, HandlerRegistry handlers, List<string> problems)
    {
        if (!options.RunWorkers)
        {
            return;
        }

        if (handlers.Count == 0)
        {
            problems.Add(
                "No task handler is registered, so the workers would have nothing to run: call services.AddWeaverHandlers() (generated for "
                + "the assembly's [TaskHandler] classes) or services.AddWeaverHandler(SomeHandler.Registration); or set RunWorkers = false for "
                + "a process that only submits jobs.");
            return;
        }

        var unknown = options.Kinds.Where(kind => !handlers.TryGet(kind, out _)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            problems.Add(
                $"Kinds names {string.Join(", ", unknown.Select(k => $"'{k}'"))}, which no registered handler runs; registered: "
                + $"{string.Join(", ", handlers.Names.Order(StringComparer.Ordinal).Select(k => $"'{k}'"))}. Name registered kinds, or leave Kinds empty to run them all.");
        }
    }

    /// <summary>Runs a check that throws <see cref="ArgumentException"/>, and keeps its message after <paramref name="prefix"/>.</summary>
    private static void Check(List<string> problems, string prefix, Action check)
    {
        try
        {
            check();
        }
        catch (ArgumentException error)
        {
            problems.Add(prefix + WeaverStoreProvider.ProblemOf(error));
        }
    }
}
