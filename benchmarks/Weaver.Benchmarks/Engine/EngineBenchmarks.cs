using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Hangfire;
using Hangfire.InMemory;

namespace Weaver.Benchmarks.Engine;

/// <summary>
/// Issue 9, point 3: the in-memory engine end to end (submit <see cref="Tasks"/> tasks, workers claim them, a no-op
/// handler runs, the result is committed, and the caller waits for all), against a bare
/// <see cref="System.Threading.Channels"/> pipeline (the floor, and the baseline) and Hangfire on Hangfire.InMemory. Times are per task
/// (<c>OperationsPerInvoke</c>); tasks per second = 1 / mean.
/// </summary>
/// <remarks>
/// <para>All three run <see cref="Concurrency"/> workers, one per core. The engine and the channel pipeline are built,
/// started and stopped inside each invocation (that is in their time); Hangfire's server is started once in the global
/// setup, because a <see cref="BackgroundJobServer"/> takes far longer to start and stop than a round of jobs takes,
/// which is to Hangfire's advantage.</para>
/// <para>Each task's input is its number; the engine's handler returns it, and the benchmark checks that every task
/// ended succeeded, so a broken engine cannot report a good time.</para>
/// </remarks>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    /// <summary>Tasks per invocation.</summary>
    public const int Tasks = 10_000;

    /// <summary>How long an invocation may wait for its tasks before it fails rather than hangs.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    private HandlerRegistry _handlers = null!;
    private string[] _ids = null!;
    private InMemoryStorage _hangfireStorage = null!;
    private BackgroundJobServer _hangfireServer = null!;
    private BackgroundJobClient _hangfireClient = null!;
    private readonly HangfireCompletion _hangfireCompletion = new();

    /// <summary>Workers in every system: one per core.</summary>
    public static int Concurrency => Environment.ProcessorCount;

    /// <summary>Weaver's handler registry, and the task ids <see cref="WeaverEngineGivenIds"/> gives the engine.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _handlers = WeaverHandlers.RegisterAll(new HandlerRegistry());
        _ids = Enumerable.Range(0, Tasks).Select(i => "task-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>
    /// Hangfire's storage, server and client, only in <see cref="Hangfire"/>'s process: the server's threads poll, and
    /// would take time from the other rows.
    /// </summary>
    [GlobalSetup(Target = nameof(Hangfire))]
    public void SetupHangfire()
    {
        _hangfireStorage = new InMemoryStorage(new InMemoryStorageOptions { MaxExpirationTime = TimeSpan.FromMinutes(1) });
        GlobalJobFilters.Filters.Add(_hangfireCompletion);
        _hangfireServer = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = Concurrency }, _hangfireStorage);
        _hangfireClient = new BackgroundJobClient(_hangfireStorage);
    }

    /// <summary>Stops Hangfire's server and removes the completion filter.</summary>
    [GlobalCleanup(Target = nameof(Hangfire))]
    public void CleanupHangfire()
    {
        _hangfireServer.Dispose();
        _hangfireStorage.Dispose();
        GlobalJobFilters.Filters.Remove(_hangfireCompletion);
    }

    /// <summary>
    /// The floor: an unbounded channel, <see cref="Concurrency"/> readers that run the no-op handler, and a countdown
    /// that completes when the last task is done.
    /// </summary>
    /// <returns>The sum of the handlers' results.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Tasks)]
    public async Task<long> Channels()
    {
        var channel = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleWriter = true });
        var remaining = Tasks;
        var sum = 0L;
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var readers = new Task[Concurrency];
        for (var i = 0; i < readers.Length; i++)
        {
            readers[i] = Task.Run(async () =>
            {
                await foreach (var input in channel.Reader.ReadAllAsync().ConfigureAwait(false))
                {
                    var result = await NoOp(input).ConfigureAwait(false);
                    Interlocked.Add(ref sum, result);
                    if (Interlocked.Decrement(ref remaining) == 0)
                    {
                        allDone.TrySetResult();
                    }
                }
            });
        }

        for (var i = 0; i < Tasks; i++)
        {
            channel.Writer.TryWrite(i);
        }

        await allDone.Task.WaitAsync(Deadline, TimeProvider.System).ConfigureAwait(false);
        channel.Writer.Complete();
        await Task.WhenAll(readers).ConfigureAwait(false);
        return Interlocked.Read(ref sum);

        static ValueTask<int> NoOp(int input) => ValueTask.FromResult(input);
    }

    /// <summary>
    /// Weaver: a <see cref="TaskEngine"/> and a <see cref="WorkerGroup"/> of <see cref="Concurrency"/> workers; submit
    /// every task (each gets the engine's generated id), then wait for each one's completion.
    /// </summary>
    /// <returns>The sum of the committed results.</returns>
    [Benchmark(OperationsPerInvoke = Tasks)]
    public Task<long> WeaverEngine() => RunEngine(ids: null);

    /// <summary>
    /// Not a comparison but a breakdown of <see cref="WeaverEngine"/>: the same with ids the caller gives (made in the
    /// global setup), so the engine's id generation (a random prefix and a counter) is left out.
    /// </summary>
    /// <returns>The sum of the committed results.</returns>
    [Benchmark(OperationsPerInvoke = Tasks)]
    public Task<long> WeaverEngineGivenIds() => RunEngine(_ids);

    /// <summary>
    /// Not a comparison but a breakdown of <see cref="WeaverEngineGivenIds"/>: the engine's own bookkeeping, in one
    /// thread and without a worker group (submit every task with the caller's id, then dequeue, start and commit each,
    /// with the input as the result). No handler, lease keeper, task context or wait runs; what
    /// <see cref="WeaverEngineGivenIds"/> costs beyond this is the worker loop's.
    /// </summary>
    /// <returns>The sum of the committed results.</returns>
    [Benchmark(OperationsPerInvoke = Tasks)]
    public long WeaverEngineCore()
    {
        using var engine = new TaskEngine(_handlers);
        for (var i = 0; i < Tasks; i++)
        {
            engine.Submit(NoOpHandler.Kind, i, id: _ids[i]);
        }

        var sum = 0L;
        var committed = 0;
        while (engine.Queue.TryDequeue(out var id))
        {
            if (!engine.TryStartAttempt(id, "core", out var attempt) || !engine.TryComplete(attempt, attempt.Input))
            {
                throw new InvalidOperationException($"Task '{id}' could not be started and committed: {engine.Get(id)}");
            }

            sum += (int)attempt.Input!;
            committed++;
        }

        return committed == Tasks ? sum : throw new InvalidOperationException($"{committed} of {Tasks} tasks were committed.");
    }

    /// <summary>
    /// Hangfire on Hangfire.InMemory: enqueue every job with <see cref="BackgroundJobClient"/>, then wait until the
    /// server has moved each one to Succeeded.
    /// </summary>
    /// <returns>How many jobs were enqueued.</returns>
    [Benchmark(OperationsPerInvoke = Tasks)]
    public async Task<int> Hangfire()
    {
        _hangfireCompletion.Expect(Tasks);
        for (var i = 0; i < Tasks; i++)
        {
            var input = i;
            _hangfireClient.Enqueue(() => HangfireNoOp.Run(input));
        }

        await _hangfireCompletion.AllDone.WaitAsync(Deadline, TimeProvider.System).ConfigureAwait(false);
        return Tasks;
    }

    private async Task<long> RunEngine(string[]? ids)
    {
        using var engine = new TaskEngine(_handlers);
        await using var group = new WorkerGroup(engine, new WorkerGroupOptions { Concurrency = Concurrency, Name = "bench" });
        group.Start();
        var completions = new Task<TaskSnapshot>[Tasks];
        for (var i = 0; i < Tasks; i++)
        {
            completions[i] = engine.WaitForCompletionAsync(engine.Submit(NoOpHandler.Kind, i, id: ids?[i]));
        }

        var ended = await Task.WhenAll(completions).WaitAsync(Deadline, TimeProvider.System).ConfigureAwait(false);
        await group.StopAsync().ConfigureAwait(false);
        var sum = 0L;
        foreach (var task in ended)
        {
            if (task.State != TaskLifecycle.State.Succeeded)
            {
                throw new InvalidOperationException($"Task '{task.Id}' ended {task.State}, not Succeeded: {task.Error}");
            }

            sum += (int)task.Result!;
        }

        return sum;
    }
}
