using Microsoft.CodeAnalysis;

namespace Weaver.Analyzers.Locks;

/// <summary>A call that takes a lock, as <see cref="LockCalls"/> reads it.</summary>
internal readonly struct LockAcquisition
{
    public LockAcquisition(LockKind kind, IOperation? lockObject, bool isScope, bool returnsSuccess, IOperation? takenFlag)
    {
        Kind = kind;
        LockObject = lockObject;
        IsScope = isScope;
        ReturnsSuccess = returnsSuccess;
        TakenFlag = takenFlag;
    }

    public LockKind Kind { get; }

    /// <summary>The object locked (Monitor's argument, the receiver), or <see langword="null"/> for a user scope.</summary>
    public IOperation? LockObject { get; }

    /// <summary>Whether the lock is held until the call's result is disposed.</summary>
    public bool IsScope { get; }

    /// <summary>Whether the call returns <see langword="false"/> when it did not take the lock (<c>TryEnter</c>, <c>Wait(timeout)</c>).</summary>
    public bool ReturnsSuccess { get; }

    /// <summary>The <c>ref bool lockTaken</c> argument's value, when the call reports success through one.</summary>
    public IOperation? TakenFlag { get; }
}
