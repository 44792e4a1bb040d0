using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Weaver.Analyzers.Locks;

/// <summary>Reads which calls take and release locks: the BCL's locks, <c>Lock.EnterScope()</c> and user lock scopes.</summary>
internal sealed class LockCalls
{
    private readonly LockSymbols _symbols;
    private readonly LockScopes _scopes;

    public LockCalls(LockSymbols symbols, LockScopes scopes)
    {
        _symbols = symbols;
        _scopes = scopes;
    }

    public bool TryGetAcquisition(IOperation operation, out LockAcquisition acquisition)
    {
        acquisition = default;
        switch (operation)
        {
            case IInvocationOperation invocation:
                return TryGetAcquisition(invocation, out acquisition);
            case IObjectCreationOperation { Constructor: { } constructor } creation
                when _scopes.TakesScope(constructor, creation.Syntax.SyntaxTree):
                acquisition = new LockAcquisition(LockKind.Scope, lockObject: null, isScope: true, returnsSuccess: false, takenFlag: null);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Whether <paramref name="invocation"/> releases a lock taken by an exit call (not a scope's dispose).</summary>
    public bool TryGetRelease(IInvocationOperation invocation, out LockKind kind, out IOperation lockObject)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        kind = default;
        lockObject = null!;
        if (LockSymbols.Is(type, _symbols.Monitor))
        {
            if (method.Name == "Exit" && invocation.Arguments.Length == 1)
            {
                kind = LockKind.Monitor;
                lockObject = invocation.Arguments[0].Value;
                return true;
            }

            return false;
        }

        if (invocation.Instance is not { } receiver)
        {
            return false;
        }

        LockKind? released = method.Name switch
        {
            "Exit" when LockSymbols.Is(type, _symbols.Lock) => LockKind.Lock,
            "Exit" when LockSymbols.Is(type, _symbols.SpinLock) => LockKind.SpinLock,
            "ExitReadLock" when LockSymbols.Is(type, _symbols.ReaderWriterLockSlim) => LockKind.ReadLock,
            "ExitUpgradeableReadLock" when LockSymbols.Is(type, _symbols.ReaderWriterLockSlim) => LockKind.UpgradeableReadLock,
            "ExitWriteLock" when LockSymbols.Is(type, _symbols.ReaderWriterLockSlim) => LockKind.WriteLock,
            "ReleaseMutex" when LockSymbols.Is(type, _symbols.Mutex) => LockKind.Mutex,
            "Release" when LockSymbols.Is(type, _symbols.SemaphoreSlim) => LockKind.Semaphore,
            _ => null,
        };

        if (released is null)
        {
            return false;
        }

        kind = released.Value;
        lockObject = receiver;
        return true;
    }

    /// <summary>Whether <paramref name="invocation"/> disposes its receiver, which releases a scope the receiver holds.</summary>
    public static bool IsDispose(IInvocationOperation invocation, out IOperation receiver)
    {
        receiver = invocation.Instance!;
        return invocation.Instance is not null
            && invocation.TargetMethod.Name is "Dispose" or "DisposeAsync"
            && invocation.TargetMethod.Parameters.Length == 0;
    }

    private bool TryGetAcquisition(IInvocationOperation invocation, out LockAcquisition acquisition)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        var returnsSuccess = method.ReturnType.SpecialType == SpecialType.System_Boolean;
        acquisition = default;

        if (LockSymbols.Is(type, _symbols.Monitor))
        {
            if (method.Name is "Enter" or "TryEnter" && invocation.Arguments.Length > 0)
            {
                acquisition = new LockAcquisition(LockKind.Monitor, invocation.Arguments[0].Value, isScope: false, returnsSuccess, TakenFlagOf(invocation));
                return true;
            }

            return false;
        }

        if (invocation.Instance is { } receiver)
        {
            LockKind? taken = method.Name switch
            {
                "Enter" or "TryEnter" when LockSymbols.Is(type, _symbols.Lock) => LockKind.Lock,
                "Enter" or "TryEnter" when LockSymbols.Is(type, _symbols.SpinLock) => LockKind.SpinLock,
                "EnterReadLock" or "TryEnterReadLock" when LockSymbols.Is(type, _symbols.ReaderWriterLockSlim) => LockKind.ReadLock,
                "EnterUpgradeableReadLock" or "TryEnterUpgradeableReadLock" when LockSymbols.Is(type, _symbols.ReaderWriterLockSlim) => LockKind.UpgradeableReadLock,
                "EnterWriteLock" or "TryEnterWriteLock" when LockSymbols.Is(type, _symbols.ReaderWriterLockSlim) => LockKind.WriteLock,
                "WaitOne" when LockSymbols.Is(type, _symbols.WaitHandle) && LockSymbols.IsOrDerivesFrom(receiver.Type, _symbols.Mutex) => LockKind.Mutex,
                "Wait" when LockSymbols.Is(type, _symbols.SemaphoreSlim) => LockKind.Semaphore,
                _ => null,
            };

            if (taken is not null)
            {
                acquisition = new LockAcquisition(taken.Value, receiver, isScope: false, returnsSuccess, TakenFlagOf(invocation));
                return true;
            }

            if (method.Name == "EnterScope" && LockSymbols.Is(type, _symbols.Lock))
            {
                acquisition = new LockAcquisition(LockKind.Lock, receiver, isScope: true, returnsSuccess: false, takenFlag: null);
                return true;
            }
        }

        if (_scopes.TakesScope(method, invocation.Syntax.SyntaxTree))
        {
            acquisition = new LockAcquisition(LockKind.Scope, lockObject: null, isScope: true, returnsSuccess: false, takenFlag: null);
            return true;
        }

        return false;
    }

    private static IOperation? TakenFlagOf(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { RefKind: RefKind.Ref, Type.SpecialType: SpecialType.System_Boolean })
            {
                return argument.Value;
            }
        }

        return null;
    }
}
