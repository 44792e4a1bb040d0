using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Weaver;

/// <summary>
/// Workers that take attempts from a <see cref="TaskEngine"/> or an <see cref="IWeaverStore"/> and run their handlers under
/// leases: each attempt
/// heartbeats while it runs (<see cref="LeaseKeeper"/>), its handler's token is cancelled the moment the lease is
/// lost, and its result or failure is committed only under that lease. Idle workers wait on the engine's queue without
/// polling, or on the store's hint.
/// The group also sweeps stale leases on a timer, so a crashed or paused worker's tasks run again, and runs the
/// outcome methods (<see cref="OnOutcomeAttribute"/>) of tasks that ended, once each, one task at a time.
/// </summary>
public sealed class WorkerGroup : IAsyncDisposable
{
    private readonly IAttemptSource _source;
    private readonly WorkerGroupOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopTaking = new();
    private readonly CancellationTokenSource _stopRunning = new();
    private readonly List<Task> _workers = [];
    private readonly ConcurrentDictionary<string, ILogger> _handlerLoggers = new(StringComparer.Ordinal);
    private Task _outcomes = Task.CompletedTask;
    private ITimer? _sweeper;
    private HeartbeatTicker? _heartbeats;
    private int _running;

    /// <summary>Creates a group; call <see cref="Start"/> to run it.</summary>
    /// <param name="engine">Where attempts come from.</param>
    /// <param name="options">Concurrency, name and sweep interval; validated here.</param>
    /// <param name="loggers">Where handlers log; nothing is logged when null.</param>
    public WorkerGroup(TaskEngine engine, WorkerGroupOptions? options = null, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _options = (options ?? new WorkerGroupOptions()).Validate();
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _log = _loggers.CreateLogger("Weaver.Workers");
        _source = new EngineAttemptSource(engine, _log);
    }

    /// <summary>
    /// Creates a group that works from a store (SQLite, PostgreSQL, or the engine through its store contract): it claims
    /// only the kinds <paramref name="handlers"/> knows, reads inputs and writes results as JSON
    /// (<see cref="WorkerGroupOptions.Json"/>), heartbeats by <see cref="WorkerGroupOptions.TimeProvider"/>, and sweeps the
    /// store's stale leases. Outcome methods (<see cref="OnOutcomeAttribute"/>) do not run in a store-backed group.
    /// </summary>
    /// <param name="store">Where attempts come from; shared with other processes.</param>
    /// <param name="handlers">The handlers this group runs; at least one.</param>
    /// <param name="options">Concurrency, name, idle wait, clock and JSON options; validated here.</param>
    /// <param name="loggers">Where handlers and the group log; nothing is logged when null.</param>
    public WorkerGroup(IWeaverStore store, HandlerRegistry handlers, WorkerGroupOptions? options = null, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(handlers);
        _options = (options ?? new WorkerGroupOptions()).Validate();
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _log = _loggers.CreateLogger("Weaver.Workers");
        _source = new StoreAttemptSource(store, handlers, _options, _log);
    }

    /// <summary>How many attempts are running now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Starts the workers and the sweeper.</summary>
    /// <exception cref="InvalidOperationException">The group was already started.</exception>
    public void Start()
    {
        if (_workers.Count > 0)
        {
            throw new InvalidOperationException("This worker group is already running; a group starts once.");
        }

        _heartbeats = new HeartbeatTicker(_options.Concurrency, _source.TimeProvider, _source.HeartbeatInterval);
        for (var i = 0; i < _options.Concurrency; i++)
        {
            var owner = $"{_options.Name}/{i}";
            var slot = i;
            _workers.Add(Task.Run(() => RunWorkerAsync(owner, slot)));
        }

        _outcomes = Task.Run(RunOutcomesAsync);
        var interval = _options.SweepInterval ?? _source.HeartbeatInterval;
        _sweeper = _source.TimeProvider.CreateTimer(static state => ((IAttemptSource)state!).Sweep(), _source, interval, interval);
    }

    /// <summary>
    /// Stops taking attempts and waits for running ones to finish, for at most <paramref name="gracePeriod"/> (by the
    /// engine's clock). Attempts still running then are cancelled and handed back, so other workers run them again.
    /// Outcomes of the tasks that ended meanwhile run within the same grace period; once it is over, the running
    /// outcome's token is cancelled and the rest wait for the next group of this engine.
    /// </summary>
    /// <param name="gracePeriod">How long running attempts may take to finish. Default: 30 s.</param>
    /// <param name="cancellationToken">
    /// Ends the grace period early when cancelled (a host's shutdown timeout): running attempts are cancelled and handed
    /// back at once. The returned task still waits for the workers to stop.
    /// </param>
    /// <returns>A task that completes when every worker has stopped.</returns>
    public async Task StopAsync(TimeSpan? gracePeriod = null, CancellationToken cancellationToken = default)
    {
        _sweeper?.Dispose();

        // The grace period starts now, before the first await: the clock may move while cancellation callbacks run.
        using var graceEnds = CancellationTokenSource.CreateLinkedTokenSource(_stopRunning.Token, cancellationToken);
        var grace = Task.Delay(gracePeriod ?? TimeSpan.FromSeconds(30), _source.TimeProvider, graceEnds.Token);
        await _stopTaking.CancelAsync().ConfigureAwait(false);
        var all = Task.WhenAll([.. _workers, _outcomes]);
        if (await Task.WhenAny(all, grace).ConfigureAwait(false) != all)
        {
            await _stopRunning.CancelAsync().ConfigureAwait(false);
        }

        await all.ConfigureAwait(false);
        _heartbeats?.Dispose();
        await _stopRunning.CancelAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the group with the default grace period.</summary>
    /// <returns>A task that completes when every worker has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_workers.Count > 0 && !_stopTaking.IsCancellationRequested)
        {
            await StopAsync().ConfigureAwait(false);
        }

        _heartbeats?.Dispose();
        _stopTaking.Dispose();
        _stopRunning.Dispose();
    }

    /// <summary>One worker: takes an attempt, runs it, and again, until the group stops. <paramref name="slot"/> is its heartbeat slot.</summary>
    private async Task RunWorkerAsync(string owner, int slot)
    {
        while (!_stopTaking.IsCancellationRequested)
        {
            ClaimedAttempt? attempt;
            try
            {
                attempt = await _source.NextAsync(owner, _stopTaking.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopTaking.IsCancellationRequested)
            {
                return;
            }

            if (attempt is null)
            {
                return; // the source closed: nothing more to take
            }

            Log.Claimed(_log, owner, attempt.TaskId, attempt.Kind, attempt.Number, attempt.Lease.Epoch);

            Interlocked.Increment(ref _running);
            try
            {
                await RunAttemptAsync(attempt, slot).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }

    /// <summary>
    /// The group's one outcome dispatcher. While the group runs it takes each ended task as it comes; once the group is
    /// stopping it waits for the workers (whose last commits may end tasks) and runs what is left, until the grace
    /// period is over.
    /// </summary>
    private async Task RunOutcomesAsync()
    {
        if (_source.EndedWithOutcomes is not { } ended)
        {
            return;
        }

        try
        {
            while (await ended.WaitToReadAsync(_stopTaking.Token).ConfigureAwait(false))
            {
                // Checked on every item, so a steady stream of ended tasks cannot hold a stopping group past its grace period.
                while (!_stopRunning.IsCancellationRequested && ended.TryRead(out var task))
                {
                    await RunOutcomeAsync(task).ConfigureAwait(false);
                }
            }

            return; // the engine was disposed: no more tasks will end
        }
        catch (OperationCanceledException) when (_stopTaking.IsCancellationRequested)
        {
        }

        await Task.WhenAll(_workers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        while (!_stopRunning.IsCancellationRequested && ended.TryRead(out var task))
        {
            await RunOutcomeAsync(task).ConfigureAwait(false);
        }
    }

    private async Task RunOutcomeAsync(TaskSnapshot task)
    {
        try
        {
            await _source.Handlers.Get(task.Kind).InvokeOutcomeAsync(task, _stopRunning.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopRunning.IsCancellationRequested)
        {
            // The grace period is over: the outcome was told to stop, and did.
        }
        catch (Exception error)
        {
            Log.OutcomeFailed(HandlerLogger(task.Kind), error, task.Kind, task.Id, task.State);
        }
    }

    private async Task RunAttemptAsync(ClaimedAttempt attempt, int slot)
    {
        var telemetry = AttemptTelemetry.Start(attempt, _source.TimeProvider);
        var outcome = WeaverTelemetry.Outcomes.StoreError;
        Exception? error = null;
        using var keeper = attempt.Keep(_stopRunning.Token);
        _heartbeats!.Keep(slot, keeper);
        var registration = _source.Handlers.Get(attempt.Kind);
        var logger = HandlerLogger(attempt.Kind);
        try
        {
            var context = new TaskContext(attempt.TaskId, attempt.Kind, attempt.Number, keeper, logger, attempt.Artifacts())
            {
                DecisionSink = attempt.RecordDecision,
            };

            object? result;
            try
            {
                result = await registration.InvokeAsync(attempt.ReadInput(registration), context).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (keeper.Token.IsCancellationRequested)
            {
                // Lease lost: it is taken back by the sweeper, and any write from here would be rejected anyway.
                // Task cancelled: the engine already ended it. Shutting down: hand it back so it runs elsewhere.
                outcome = await StopCancelledAsync(attempt, keeper, logger).ConfigureAwait(false);
                return;
            }
            catch (Exception handlerError)
            {
                error = handlerError;
                if (handlerError is InvalidTaskInputException)
                {
                    Log.InvalidInput(logger, handlerError, attempt.TaskId, handlerError.Message);
                }
                else
                {
                    Log.Failed(logger, handlerError, attempt.Number, attempt.TaskId);
                }

                await keeper.StopHeartbeatsAsync().ConfigureAwait(false);
                outcome = await attempt.FailAsync(handlerError, context.Cost).ConfigureAwait(false)
                    ? WeaverTelemetry.Outcomes.Failed
                    : Rejected(logger, attempt, "failure");
                return;
            }

            await keeper.StopHeartbeatsAsync().ConfigureAwait(false);
            if (await attempt.CompleteAsync(registration, result, context.Cost).ConfigureAwait(false))
            {
                outcome = WeaverTelemetry.Outcomes.Succeeded;
                Log.Succeeded(logger, attempt.Number, attempt.TaskId);
            }
            else
            {
                outcome = Rejected(logger, attempt, "commit");
            }
        }
        catch (Exception storeError) when (storeError is not OperationCanceledException)
        {
            // Only a store's write can fail here (the engine's never do): the lease goes stale and the task is taken back.
            error = storeError;
            outcome = WeaverTelemetry.Outcomes.StoreError;
            Log.CommitFailed(logger, storeError, attempt.Number, attempt.TaskId);
        }
        finally
        {
            _heartbeats.Forget(slot);
            telemetry.End(outcome, error);
        }
    }

    /// <summary>The logger of a kind's handlers, made once per kind (a factory looks loggers up under a lock).</summary>
    private ILogger HandlerLogger(string kind) =>
        _handlerLoggers.GetOrAdd(kind, static (name, loggers) => loggers.CreateLogger("Weaver.Handlers." + name), _loggers);

    /// <summary>The handler stopped on its cancelled token: says why, and hands the attempt back when the group is shutting down.</summary>
    private async ValueTask<string> StopCancelledAsync(ClaimedAttempt attempt, LeaseKeeper keeper, ILogger logger)
    {
        if (keeper.IsLost)
        {
            Log.LeaseLost(logger, attempt.Number, attempt.TaskId, attempt.Lease.Epoch);
            return WeaverTelemetry.Outcomes.LeaseLost;
        }

        if (attempt.Cancellation.IsCancellationRequested || !_stopRunning.IsCancellationRequested)
        {
            Log.Cancelled(logger, attempt.TaskId, attempt.Number);
            return WeaverTelemetry.Outcomes.Cancelled;
        }

        await keeper.StopHeartbeatsAsync().ConfigureAwait(false);
        if (!await attempt.AbandonAsync($"'{attempt.Lease.Owner}' shut down before the attempt finished.").ConfigureAwait(false))
        {
            return Rejected(logger, attempt, "hand-back");
        }

        Log.Abandoned(logger, attempt.Lease.Owner, attempt.Number, attempt.TaskId);
        return WeaverTelemetry.Outcomes.Abandoned;
    }

    private static string Rejected(ILogger logger, ClaimedAttempt attempt, string write)
    {
        Log.WriteRejected(logger, write, attempt.Number, attempt.TaskId, attempt.Lease.Epoch);
        return WeaverTelemetry.Outcomes.Rejected;
    }
}
