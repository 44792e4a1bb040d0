using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Weaver;

/// <summary>
/// Runs a coordinator's tasks through an <see cref="IWeaverStore"/>: any worker of the fleet may run them, and the
/// coordinator follows them by reading the store every <see cref="JobCoordinatorOptions.PollInterval"/>.
/// </summary>
/// <remarks>
/// Inputs and results are JSON (<see cref="JsonElement"/>), so a job's document holds them and a restarted coordinator
/// submits the same tasks again. A submit is idempotent: task ids are the job's (<c>{jobId}/{taskId}</c>), and a task
/// that already exists, created before a crash or by the coordinator this one took over from, is simply followed.
/// </remarks>
internal sealed partial class StoreJobTasks : IJobTasks
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly IWeaverStore _store;
    private readonly TaskPayloads _payloads;
    private readonly TimeSpan _pollInterval;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Task<string?>> _creations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Follower> _followed = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _pollerGate = new();
    private Task? _poller;

    public StoreJobTasks(IWeaverStore store, HandlerRegistry handlers, JobCoordinatorOptions options, ILogger logger)
    {
        _store = store;
        Handlers = handlers;
        TimeProvider = options.TimeProvider;
        DefaultRetry = options.DefaultRetry;
        _payloads = new TaskPayloads(options.Json);
        _pollInterval = options.PollInterval;
        _logger = logger;
    }

    public event Action<TaskSnapshot>? AttemptEnded;

    public TimeProvider TimeProvider { get; }

    public RetryPolicy DefaultRetry { get; }

    public HandlerRegistry Handlers { get; }

    public object? Keep(string taskId, object? input)
    {
        if (input is null or JsonElement)
        {
            return input;
        }

        try
        {
            return JsonSerializer.SerializeToElement(input, _payloads.Json.GetTypeInfo(input.GetType()));
        }
        catch (Exception error) when (error is NotSupportedException or InvalidOperationException or JsonException)
        {
            throw new ArgumentException(
                $"Task '{taskId}': its input, a {input.GetType().FullName}, cannot be written as JSON, which a store-backed job keeps: {error.Message} "
                + "Pass a JSON-serializable input, and JobCoordinatorOptions.Json whose resolver knows its type.",
                "spec",
                error);
        }
    }

    public void Submit(string id, string kind, object? input, RetryPolicy retry, IReadOnlyList<string> resources, JobTaskRef? job)
    {
        var json = Keep(id, input) is JsonElement element ? element.GetRawText() : null;
        var task = new NewTask(id, kind, json, retry) { Resources = resources, Job = job }.Validate();
        _ = _creations.GetOrAdd(id, _ => CreateAsync(task));
    }

    public async ValueTask<bool> TryCancelAsync(string id, CancellationToken cancellationToken = default)
    {
        if (_creations.TryGetValue(id, out var creating) && await creating.ConfigureAwait(false) is not null)
        {
            return false;
        }

        return await _store.CancelAsync(id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TaskSnapshot> WaitForCompletionAsync(string id, CancellationToken cancellationToken)
    {
        if (_creations.TryGetValue(id, out var creating) && await creating.WaitAsync(cancellationToken).ConfigureAwait(false) is { } refused)
        {
            _creations.TryRemove(id, out _);
            return Refused(id, refused);
        }

        var follower = _followed.GetOrAdd(id, _ => new Follower());
        EnsurePolling();
        return await follower.Ended.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<TaskSnapshot?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var task = await _store.GetTaskAsync(id, cancellationToken).ConfigureAwait(false);
        return task is null ? null : await SnapshotAsync(task, withHistory: true, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Cancel();

    /// <summary>Creates the task, retrying while the store does not answer; returns why the store refused it, if it did.</summary>
    private async Task<string?> CreateAsync(NewTask task)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _ = await _store.CreateTaskAsync(task, _stopping.Token).ConfigureAwait(false);
                return null;
            }
            catch (DuplicateTaskException)
            {
                return null; // created before this coordinator started (a resume), or by the one it took over from
            }
            catch (ArgumentException refused)
            {
                return refused.Message;
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                var delay = TimeSpan.FromMilliseconds(Math.Min(MaxRetryDelay.TotalMilliseconds, 50 * Math.Pow(2, attempt)));
                LogCreateFailed(_logger, task.Id, attempt, delay, error);
                await Task.Delay(delay, TimeProvider, _stopping.Token).ConfigureAwait(false);
            }
        }
    }

    private static TaskSnapshot Refused(string id, string why) =>
        new(id, "", TaskLifecycle.State.Dead, 0, null, $"The store refused the task: {why}", []);

    private void EnsurePolling()
    {
        lock (_pollerGate)
        {
            _poller ??= Task.Run(PollAsync);
        }
    }

    private async Task PollAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            foreach (var (id, follower) in _followed)
            {
                try
                {
                    await CheckAsync(id, follower, token).ConfigureAwait(false);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    LogReadFailed(_logger, id, error);
                }
            }

            try
            {
                await Task.Delay(_pollInterval, TimeProvider, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task CheckAsync(string id, Follower follower, CancellationToken cancellationToken)
    {
        if (await _store.GetTaskAsync(id, cancellationToken).ConfigureAwait(false) is not { } task)
        {
            return; // being created
        }

        // A task counts an attempt when it is claimed: the one running now has not ended.
        var ended = task.State == TaskLifecycle.State.Running ? task.Attempts - 1 : task.Attempts;
        var snapshot = task.IsTerminal ? await SnapshotAsync(task, withHistory: true, cancellationToken).ConfigureAwait(false) : null;
        if (ended > follower.AttemptsEnded)
        {
            follower.AttemptsEnded = ended;
            AttemptEnded?.Invoke((snapshot ?? await SnapshotAsync(task, withHistory: false, cancellationToken).ConfigureAwait(false)) with { Attempts = ended });
        }

        if (snapshot is not null && _followed.TryRemove(id, out _))
        {
            follower.Ended.TrySetResult(snapshot);
        }
    }

    private async ValueTask<TaskSnapshot> SnapshotAsync(StoredTask task, bool withHistory, CancellationToken cancellationToken)
    {
        var history = withHistory ? await _store.GetHistoryAsync(task.Id, cancellationToken).ConfigureAwait(false) : [];
        object? result = null;
        if (task.Result is { } json)
        {
            using var parsed = JsonDocument.Parse(json);
            result = parsed.RootElement.Clone();
        }

        return new TaskSnapshot(task.Id, task.Kind, task.State, task.Attempts, result, task.Error, history) { Cost = task.Cost, Job = task.Job };
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Creating job task {TaskId} failed (try {Attempt}); trying again in {Delay}.")]
    private static partial void LogCreateFailed(ILogger logger, string taskId, int attempt, TimeSpan delay, Exception error);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Reading job task {TaskId} from the store failed; the next poll tries again.")]
    private static partial void LogReadFailed(ILogger logger, string taskId, Exception error);

    private sealed class Follower
    {
        public TaskCompletionSource<TaskSnapshot> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int AttemptsEnded { get; set; }
    }
}
