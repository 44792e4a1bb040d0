using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Weaver.Runtime.Tests.Jobs;

/// <summary>A handler of boxed values defined by a function, for tests.</summary>
internal sealed class ObjectHandler(Func<object?, TaskContext, ValueTask<object?>> run) : ITaskHandler<object?, object?>
{
    public ValueTask<object?> HandleAsync(object? input, TaskContext context) => run(input, context);
}

/// <summary>
/// A coordinator over an engine on a <see cref="FakeTimeProvider"/>, with a worker group (started unless asked not to)
/// and four kinds of task: <c>work</c> (and <c>split</c>, the same handler, for deciders) returns "&lt;task id&gt; done" (or runs the test's own function), <c>fail</c>
/// throws, <c>hang</c> waits until its token is cancelled. Every kind logs <c>start:id</c> when it starts and
/// <c>end:id</c> when it returns.
/// </summary>
internal sealed class JobFixture : IAsyncDisposable
{
    public const string Fail = "fail";
    public const string Hang = "hang";
    public const string Split = "split";

    private readonly ConcurrentDictionary<string, TaskCompletionSource<TaskContext>> _started = new();
    private readonly WorkerGroup _workers;
    private readonly bool _workersStarted;

    public JobFixture(Func<string, TaskContext, ValueTask<object?>>? work = null, bool startWorkers = true, int concurrency = 2, ArtifactStore? artifacts = null)
    {
        work ??= static (task, _) => ValueTask.FromResult<object?>($"{task} done");
        var registry = new HandlerRegistry();
        registry.Add(HandlerRegistration.Create<ObjectHandler, object?, object?>("work", () => new ObjectHandler(Logged(work))));
        registry.Add(HandlerRegistration.Create<ObjectHandler, object?, object?>(Split, () => new ObjectHandler(Logged(work))));
        registry.Add(HandlerRegistration.Create<ObjectHandler, object?, object?>(Fail, () => new ObjectHandler(Logged(static (task, _) =>
            throw new InvalidOperationException($"boom in {task}")))));
        registry.Add(HandlerRegistration.Create<ObjectHandler, object?, object?>(Hang, () => new ObjectHandler(Logged(static async (_, context) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, context.CancellationToken);
            return null;
        }))));
        Engine = new TaskEngine(registry, new TaskEngineOptions
        {
            TimeProvider = Time,
            Retry = new RetryPolicy { MaxAttempts = 1 },
            JitterSource = static () => 0,
            Artifacts = artifacts,
        });
        Coordinator = new JobCoordinator(Engine);
        _workers = new WorkerGroup(Engine, new WorkerGroupOptions { Concurrency = concurrency, Name = "jobs" });
        if (startWorkers)
        {
            _workers.Start();
            _workersStarted = true;
        }
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    public TaskEngine Engine { get; }

    public JobCoordinator Coordinator { get; }

    /// <summary>What the handlers did, in order: <c>start:id</c> and <c>end:id</c>, with task ids within their job.</summary>
    public ConcurrentQueue<string> Log { get; } = new();

    public static JobTaskSpec TaskOf(string id, string kind, params string[] dependsOn) => new(id, kind, null) { DependsOn = dependsOn };

    /// <summary>Completes with the first event of the job that matches <paramref name="match"/>, past or future.</summary>
    public async Task<JobEvent> EventAsync(JobId job, Func<JobEvent, bool> match) =>
        await Coordinator.WatchAsync(job).FirstAsync(match);

    /// <summary>Completes when the handler of task <paramref name="task"/> (an id within its job) has started.</summary>
    public Task<TaskContext> Started(string task) => StartSignal(task).Task;

    /// <summary>
    /// Moves simulated time a second at a time, letting workers run in between, until <paramref name="done"/> completes;
    /// a step budget turns a hang into a failure.
    /// </summary>
    public async Task<T> DriveUntil<T>(Task<T> done)
    {
        for (var step = 0; !done.IsCompleted; step++)
        {
            Assert.True(step < 1_000_000, "Still not done after a million steps of simulated time.");
            if (step % 100 == 99)
            {
                Time.Advance(TimeSpan.FromSeconds(1));
            }

            await Task.Yield();
        }

        return await done;
    }

    public async ValueTask DisposeAsync()
    {
        Coordinator.Dispose();

        // No grace period: hanging handlers are stopped at once rather than after 30 s of a clock that never moves.
        if (_workersStarted)
        {
            await _workers.StopAsync(TimeSpan.Zero);
        }

        await _workers.DisposeAsync();
        Engine.Dispose();
    }

    /// <summary>The task's id within its job: the part of the engine id after the job id and '/'.</summary>
    private static string JobTaskId(TaskContext context) => context.TaskId[(context.TaskId.LastIndexOf('/') + 1)..];

    private TaskCompletionSource<TaskContext> StartSignal(string task) =>
        _started.GetOrAdd(task, _ => new TaskCompletionSource<TaskContext>(TaskCreationOptions.RunContinuationsAsynchronously));

    private Func<object?, TaskContext, ValueTask<object?>> Logged(Func<string, TaskContext, ValueTask<object?>> run) => async (_, context) =>
    {
        var task = JobTaskId(context);
        Log.Enqueue($"start:{task}");
        StartSignal(task).TrySetResult(context);
        var result = await run(task, context);
        Log.Enqueue($"end:{task}");
        return result;
    };
}
