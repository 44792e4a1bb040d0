using System;
using Microsoft.CodeAnalysis;

namespace Weaver.Analyzers.Locks;

/// <summary>
/// One lock held at a point of a method: which lock, where it was taken, and, when a <c>bool</c> local says whether
/// it was taken at all (<c>Monitor.Enter(o, ref taken)</c>, <c>var ok = Monitor.TryEnter(o)</c>), that local.
/// </summary>
internal sealed class HeldLock : IEquatable<HeldLock>
{
    public HeldLock(LockKind kind, LockHandle handle, bool releasedByDispose, string description, SyntaxNode acquiredAt, ILocalSymbol? takenFlag)
    {
        Kind = kind;
        Handle = handle;
        ReleasedByDispose = releasedByDispose;
        Description = description;
        AcquiredAt = acquiredAt;
        TakenFlag = takenFlag;
    }

    public LockKind Kind { get; }

    public LockHandle Handle { get; }

    /// <summary>Whether disposing <see cref="Handle"/> releases it (a scope) rather than an exit call on it.</summary>
    public bool ReleasedByDispose { get; }

    /// <summary>How messages name it: <c>the Monitor lock on '_gate'</c>.</summary>
    public string Description { get; }

    public SyntaxNode AcquiredAt { get; }

    /// <summary>The local that is <see langword="true"/> exactly when the lock was taken, while that is still known.</summary>
    public ILocalSymbol? TakenFlag { get; }

    /// <summary>The 1-based line of the call that took it.</summary>
    public int Line => AcquiredAt.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

    /// <summary>The same lock, held whatever its flag says from now on (the flag was tested true, or overwritten).</summary>
    public HeldLock WithoutTakenFlag() =>
        TakenFlag is null ? this : new HeldLock(Kind, Handle, ReleasedByDispose, Description, AcquiredAt, takenFlag: null);

    public bool Equals(HeldLock? other) =>
        other is not null
        && Kind == other.Kind
        && ReleasedByDispose == other.ReleasedByDispose
        && AcquiredAt == other.AcquiredAt
        && Handle.Equals(other.Handle)
        && SymbolEqualityComparer.Default.Equals(TakenFlag, other.TakenFlag);

    public override bool Equals(object? obj) => Equals(obj as HeldLock);

    public override int GetHashCode() => AcquiredAt.GetHashCode() ^ ((int)Kind * 397) ^ Handle.GetHashCode();
}
