using Microsoft.CodeAnalysis;
using Weaver.Analyzers.Infrastructure;

namespace Weaver.Analyzers.Locks;

/// <summary>
/// The lock, wake-up and completion types the lock rules recognise, resolved once per compilation. A type the
/// compilation does not have is <see langword="null"/>, and calls on it are simply never seen.
/// </summary>
internal sealed class LockSymbols
{
    public LockSymbols(Compilation compilation, WeaverSymbols weaver)
    {
        Monitor = compilation.GetTypeByMetadataName("System.Threading.Monitor");
        Lock = compilation.GetTypeByMetadataName("System.Threading.Lock");
        SpinLock = compilation.GetTypeByMetadataName("System.Threading.SpinLock");
        ReaderWriterLockSlim = compilation.GetTypeByMetadataName("System.Threading.ReaderWriterLockSlim");
        Mutex = compilation.GetTypeByMetadataName("System.Threading.Mutex");
        WaitHandle = compilation.GetTypeByMetadataName("System.Threading.WaitHandle");
        SemaphoreSlim = compilation.GetTypeByMetadataName("System.Threading.SemaphoreSlim");
        ManualResetEventSlim = compilation.GetTypeByMetadataName("System.Threading.ManualResetEventSlim");
        EventWaitHandle = compilation.GetTypeByMetadataName("System.Threading.EventWaitHandle");
        Interlocked = compilation.GetTypeByMetadataName("System.Threading.Interlocked");
        TaskCompletionSource = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskCompletionSource");
        GenericTaskCompletionSource = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskCompletionSource`1");
        TaskCreationOptions = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskCreationOptions");
        LockScopeAttribute = compilation.GetTypeByMetadataName("Weaver.LockScopeAttribute");
        TaskQueue = weaver.TaskQueue;
    }

    public INamedTypeSymbol? Monitor { get; }

    public INamedTypeSymbol? Lock { get; }

    public INamedTypeSymbol? SpinLock { get; }

    public INamedTypeSymbol? ReaderWriterLockSlim { get; }

    public INamedTypeSymbol? Mutex { get; }

    public INamedTypeSymbol? WaitHandle { get; }

    public INamedTypeSymbol? SemaphoreSlim { get; }

    public INamedTypeSymbol? ManualResetEventSlim { get; }

    /// <summary>The base of <c>ManualResetEvent</c> and <c>AutoResetEvent</c>, which declares their <c>Set</c>.</summary>
    public INamedTypeSymbol? EventWaitHandle { get; }

    public INamedTypeSymbol? Interlocked { get; }

    public INamedTypeSymbol? TaskCompletionSource { get; }

    public INamedTypeSymbol? GenericTaskCompletionSource { get; }

    public INamedTypeSymbol? TaskCreationOptions { get; }

    public INamedTypeSymbol? LockScopeAttribute { get; }

    public INamedTypeSymbol? TaskQueue { get; }

    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        type is not null && expected is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected);

    /// <summary>Whether <paramref name="type"/> is <paramref name="expected"/> or derives from it.</summary>
    public static bool IsOrDerivesFrom(ITypeSymbol? type, INamedTypeSymbol? expected)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (Is(current, expected))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsTaskCompletionSource(ITypeSymbol? type) =>
        IsOrDerivesFrom(type, TaskCompletionSource) || IsOrDerivesFrom(type, GenericTaskCompletionSource);

    public bool HasLockScopeAttribute(ISymbol symbol)
    {
        if (LockScopeAttribute is null)
        {
            return false;
        }

        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, LockScopeAttribute))
            {
                return true;
            }
        }

        return false;
    }
}
