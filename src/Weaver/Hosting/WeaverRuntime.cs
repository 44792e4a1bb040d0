using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Weaver;

/// <summary>
/// The store, handlers, workers and job client of a Weaver host (<c>services.AddWeaver</c>), shared by the whole
/// application. The store opens once: when the host starts, or at the first use of <see cref="IWeaverStore"/> or
/// <see cref="IWeaverClient"/> before that (a hosted service that submits jobs from its constructor or its start waits for
/// the store, never gets a second one). The workers run from the host's start to its stop.
/// </summary>
/// <remarks>
/// <para>The <see cref="IWeaverStore"/> and <see cref="IWeaverClient"/> services resolve at once, without opening
/// anything: each of their calls first waits for the store to be open. Their lifetime is the host's: the host disposes the
/// client and then the store when it is disposed; disposing the <see cref="IWeaverStore"/> service itself does nothing.</para>
/// <para>A store that fails to open fails the host's start, and every call waiting for it, with the store's error.</para>
/// </remarks>
public sealed partial class WeaverRuntime : IAsyncDisposable
{
    private readonly IServiceProvider _services;
    private readonly IOptions<WeaverOptions> _options;
    private readonly Lazy<HandlerRegistry> _handlers;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposing = new();
    private Task<Opened>? _opened;
    private WorkerGroup? _workers;
    private int _disposed;

    internal WeaverRuntime(IServiceProvider services, IOptions<WeaverOptions> options)
    {
        _services = services;
        _options = options;
        _handlers = new Lazy<HandlerRegistry>(() => HostedHandlers.Build(services));
        _logger = HostedHandlers.Loggers(services).CreateLogger("Weaver.Hosting");
    }

    /// <summary>The host's options, checked.</summary>
    /// <exception cref="OptionsValidationException">They are invalid; the message lists every problem.</exception>
    public WeaverOptions Options => _options.Value;

    /// <summary>The handler of every registered kind, bound to the application's services.</summary>
    /// <exception cref="ArgumentException">Two registered handlers share a name.</exception>
    public HandlerRegistry Handlers => _handlers.Value;

    /// <summary>The workers, from the host's start until it is disposed; null before that, and when <see cref="WeaverOptions.RunWorkers"/> is false.</summary>
    public WorkerGroup? Workers => Volatile.Read(ref _workers);

    /// <summary>The store, opened once (now, if the host has not started yet).</summary>
    /// <param name="cancellationToken">Stops waiting; the store goes on opening for the other callers.</param>
    /// <returns>The open store; for <see cref="WeaverOptions.UseInMemory"/>, the <see cref="TaskEngine"/>.</returns>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    /// <exception cref="ObjectDisposedException">The host was disposed.</exception>
    public async Task<IWeaverStore> GetStoreAsync(CancellationToken cancellationToken = default) =>
        (await OpenAsync(cancellationToken).ConfigureAwait(false)).Store;

    /// <summary>
    /// The job client over the store, created once the store is open: a <see cref="JobCoordinator"/> on the engine for
    /// <see cref="WeaverOptions.UseInMemory"/>, otherwise a store-backed one that has already taken over the running jobs
    /// of coordinators that stopped (<see cref="JobCoordinator.ResumeAsync"/>), so a restarted process goes on with them.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting; the store goes on opening for the other callers.</param>
    /// <returns>The client.</returns>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    /// <exception cref="ObjectDisposedException">The host was disposed.</exception>
    public async Task<IWeaverClient> GetClientAsync(CancellationToken cancellationToken = default) =>
        (await OpenAsync(cancellationToken).ConfigureAwait(false)).Client;

    /// <summary>Stops the workers (with no grace when the host did not stop them), then disposes the client and the store.</summary>
    /// <returns>A task that completes when everything is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        if (Volatile.Read(ref _workers) is { } workers)
        {
            await workers.StopAsync(TimeSpan.Zero).ConfigureAwait(false);
            await workers.DisposeAsync().ConfigureAwait(false);
        }

        if (Volatile.Read(ref _opened) is { } opening)
        {
            // An open still under way was just cancelled; one that failed left nothing to dispose.
            await ((Task)opening).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_opened is { IsCompletedSuccessfully: true } opened)
        {
            var (store, client) = opened.Result;
            client.Dispose();
            await store.DisposeAsync().ConfigureAwait(false);
        }

        _disposing.Dispose();
    }

    /// <summary>The host starts: opens the store (if no caller did already) and starts the workers.</summary>
    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        var (store, _) = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var options = Options;
        if (!options.RunWorkers)
        {
            LogStartedWithoutWorkers(_logger, options.Stores[0].Description);
            return;
        }

        var context = HostedHandlers.Context(_services, options, Handlers);
        var settings = WorkerOptions(options, context.TimeProvider);
        var runs = HostedHandlers.Select(Handlers, options.Kinds);
        var workers = store is TaskEngine engine
            ? new WorkerGroup(engine, settings, context.LoggerFactory)
            : new WorkerGroup(store, runs, settings, context.LoggerFactory);
        if (Interlocked.CompareExchange(ref _workers, workers, null) is not null)
        {
            throw new InvalidOperationException("This Weaver host's workers are already running; a host starts once.");
        }

        workers.Start();
        LogStarted(_logger, options.Stores[0].Description, settings.Concurrency, settings.Name, string.Join(", ", runs.Names));
    }

    /// <summary>
    /// The host stops: the workers take no new attempts, running ones get <see cref="WeaverOptions.ShutdownGrace"/> (or
    /// until <paramref name="cancellationToken"/>, the host's shutdown timeout, is cancelled) to finish, then are cancelled
    /// and handed back.
    /// </summary>
    internal async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _workers) is not { } workers)
        {
            return;
        }

        var running = workers.Running;
        await workers.StopAsync(Options.ShutdownGrace ?? Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        LogStopped(_logger, running);
    }

    /// <summary>The worker group's settings from the host's options.</summary>
    internal static WorkerGroupOptions WorkerOptions(WeaverOptions options, TimeProvider time) => new()
    {
        Concurrency = options.WorkerCount,
        Name = options.WorkerName,
        SweepInterval = options.SweepInterval,
        IdleWait = options.IdleWait,
        TimeProvider = time,
        Json = options.Json,
        Artifacts = options.Artifacts,
    };

    private Task<Opened> OpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Volatile.Read(ref _opened) is { } opened)
        {
            return opened.WaitAsync(cancellationToken); // every call after the first, on every store and client call
        }

        var opening = new TaskCompletionSource<Opened>(TaskCreationOptions.RunContinuationsAsynchronously);
        opened = Interlocked.CompareExchange(ref _opened, opening.Task, null);
        if (opened is null)
        {
            opened = opening.Task;
            _ = OpenOnceAsync(opening);
        }

        return opened.WaitAsync(cancellationToken);
    }

    private async Task OpenOnceAsync(TaskCompletionSource<Opened> opening)
    {
        try
        {
            // Off the caller's thread: a store may open synchronously for a while (SQLite's migrations).
            await Task.Yield();
            var options = Options;
            var context = HostedHandlers.Context(_services, options, Handlers);
            var store = await options.Stores[0].OpenAsync(context, _disposing.Token).ConfigureAwait(false);
            JobCoordinator? client = null;
            try
            {
                client = store is TaskEngine engine
                    ? new JobCoordinator(engine)
                    : new JobCoordinator(store, Handlers, CoordinatorOptions(options, context));
                foreach (var decider in _services.GetServices<WeaverDecider>())
                {
                    client.AddDecider(decider.Kind, decider.Decider);
                }

                if (store is not TaskEngine)
                {
                    // After the deciders: a job taken over may decompose its next task at once.
                    var resumed = await client.ResumeAsync(_disposing.Token).ConfigureAwait(false);
                    if (resumed.Count > 0)
                    {
                        LogResumed(_logger, resumed.Count, string.Join(", ", resumed));
                    }
                }

                opening.SetResult(new Opened(store, client));
            }
            catch
            {
                client?.Dispose();
                await store.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch (Exception error)
        {
            opening.TrySetException(error);
        }
    }

    /// <summary>A store-backed job coordinator's settings from the host's options.</summary>
    internal static JobCoordinatorOptions CoordinatorOptions(WeaverOptions options, WeaverStoreContext context) => new()
    {
        TimeProvider = context.TimeProvider,
        Json = options.Json,
        PollInterval = options.JobPollInterval,
        DefaultRetry = options.Retry,
        Owner = options.WorkerName,
        LoggerFactory = context.LoggerFactory,
    };

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Weaver started on the {Store} store: {Workers} worker(s) named '{Name}' run {Kinds}.")]
    private static partial void LogStarted(ILogger logger, string store, int workers, string name, string kinds);

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "Weaver started on the {Store} store without workers (RunWorkers is false): this process submits and follows jobs.")]
    private static partial void LogStartedWithoutWorkers(ILogger logger, string store);

    [LoggerMessage(EventId = 32, Level = LogLevel.Information, Message = "Weaver took over {Count} running job(s) whose coordinator had stopped: {Jobs}.")]
    private static partial void LogResumed(ILogger logger, int count, string jobs);

    [LoggerMessage(EventId = 33, Level = LogLevel.Information, Message = "Weaver's workers stopped; {Running} attempt(s) were running when the host began to stop.")]
    private static partial void LogStopped(ILogger logger, int running);

    private sealed record Opened(IWeaverStore Store, JobCoordinator Client);
}
