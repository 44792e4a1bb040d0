using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Weaver.Analyzers.Locks;

/// <summary>
/// Reads which calls wake up a waiting thread or continuation: setting an event, releasing a semaphore, completing a
/// <c>TaskCompletionSource</c> that runs continuations inline, and Weaver's <c>TaskQueue&lt;T&gt;.Enqueue</c> and
/// <c>Schedule</c>. <c>Monitor.Pulse</c> is not one: it needs the lock.
/// </summary>
internal sealed class WakeUpCalls
{
    private readonly LockSymbols _symbols;
    private readonly CompletionSourceOptions _completionSources;

    public WakeUpCalls(LockSymbols symbols)
    {
        _symbols = symbols;
        _completionSources = new CompletionSourceOptions(symbols);
    }

    /// <summary>Whether <paramref name="invocation"/> wakes a waiter; <paramref name="name"/> is how messages call it.</summary>
    public bool IsWakeUp(IInvocationOperation invocation, FlowCaptures captures, SemanticModel model, out string name)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        name = type.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + "." + method.Name;
        return method.Name switch
        {
            "Set" => LockSymbols.Is(type, _symbols.ManualResetEventSlim) || LockSymbols.Is(type, _symbols.EventWaitHandle),
            "Release" => LockSymbols.Is(type, _symbols.SemaphoreSlim),
            "Enqueue" or "Schedule" => LockSymbols.Is(type, _symbols.TaskQueue),
            "SetResult" or "TrySetResult" or "SetException" or "TrySetException" or "SetCanceled" or "TrySetCanceled"
                => IsCompletionSourceType(type)
                    && invocation.Instance is { } source
                    && !_completionSources.RunsContinuationsAsynchronously(source, captures, model),
            _ => false,
        };
    }

    private bool IsCompletionSourceType(INamedTypeSymbol type) =>
        LockSymbols.Is(type, _symbols.TaskCompletionSource) || LockSymbols.Is(type, _symbols.GenericTaskCompletionSource);
}
