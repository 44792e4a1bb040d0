using System.Collections.Concurrent;

namespace Weaver.Hosting.Tests;

/// <summary>Upper-cases its input, and keeps the result as an artifact when artifacts are on.</summary>
[TaskHandler("shout")]
public sealed partial class ShoutHandler : ITaskHandler<string, string>
{
    public async ValueTask<string> HandleAsync(string input, TaskContext context)
    {
        var shouted = input.ToUpperInvariant();
        if (context.Artifacts.IsEnabled)
        {
            await context.Artifacts.PutTextAsync("shouted.txt", shouted, cancellationToken: context.CancellationToken);
        }

        return shouted;
    }
}

/// <summary>
/// Runs until its gate (named by the input) is opened, or until its token is cancelled; tells the gate when it started
/// and how it ended. Gates are per test, so tests that run at once do not share one.
/// </summary>
[TaskHandler("gated")]
public sealed partial class GatedHandler : ITaskHandler<string, string>
{
    public async ValueTask<string> HandleAsync(string input, TaskContext context)
    {
        var gate = Gate.Named(input);
        gate.Started.TrySetResult(context);
        try
        {
            await gate.Open.Task.WaitAsync(context.CancellationToken);
            return $"{input} passed";
        }
        catch (OperationCanceledException)
        {
            gate.Cancelled.TrySetResult();
            throw;
        }
    }
}

/// <summary>One test's gate for <see cref="GatedHandler"/>: a handler waits on <see cref="Open"/>.</summary>
public sealed class Gate
{
    private static readonly ConcurrentDictionary<string, Gate> Gates = new(StringComparer.Ordinal);

    private Gate()
    {
    }

    public string Name { get; private init; } = "";

    public TaskCompletionSource<TaskContext> Started { get; } = NewSource<TaskContext>();

    public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static Gate New() => Gates.GetOrAdd(Guid.NewGuid().ToString("N"), static name => new Gate { Name = name });

    public static Gate Named(string name) => Gates.TryGetValue(name, out var gate)
        ? gate
        : throw new InvalidOperationException($"No gate is named '{name}'.");

    private static TaskCompletionSource<T> NewSource<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>Takes a scoped service in its constructor, so a Weaver host creates it in a new scope per attempt.</summary>
[TaskHandler("scoped")]
public sealed partial class ScopedHandler(ScopedResource resource) : ITaskHandler<string, string>
{
    public ValueTask<string> HandleAsync(string input, TaskContext context) => ValueTask.FromResult($"{input} in scope {resource.Number}");
}

/// <summary>Numbers the <see cref="ScopedResource"/>s one host creates, and records which were disposed.</summary>
public sealed class ScopeLog
{
    private int _created;

    public List<int> Disposed { get; } = [];

    public int Next() => Interlocked.Increment(ref _created);
}

/// <summary>A scoped service: one per scope, disposed with it.</summary>
public sealed class ScopedResource(ScopeLog log) : IDisposable
{
    public int Number { get; } = log.Next();

    public void Dispose()
    {
        lock (log.Disposed)
        {
            log.Disposed.Add(Number);
        }
    }
}
