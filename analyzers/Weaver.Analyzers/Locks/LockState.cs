using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Weaver.Analyzers.Locks;

/// <summary>The locks that may be held at a point: held on at least one path reaching it. Immutable.</summary>
internal sealed class LockState : IEquatable<LockState>
{
    public static readonly LockState Empty = new(ImmutableHashSet<HeldLock>.Empty);

    private readonly ImmutableHashSet<HeldLock> _locks;

    private LockState(ImmutableHashSet<HeldLock> locks) => _locks = locks;

    public bool IsEmpty => _locks.IsEmpty;

    public IEnumerable<HeldLock> Locks => _locks;

    public LockState Add(HeldLock held) => With(_locks.Add(held));

    public LockState Union(LockState other) =>
        other.IsEmpty || ReferenceEquals(this, other) ? this : IsEmpty ? other : With(_locks.Union(other._locks));

    /// <summary>Releases every hold of the lock <paramref name="kind"/> on <paramref name="handle"/>.</summary>
    public LockState Release(LockKind kind, LockHandle handle) =>
        RemoveWhere(held => !held.ReleasedByDispose && held.Kind == kind && held.Handle.Equals(handle));

    /// <summary>Releases the scopes held by <paramref name="holder"/> (it was disposed, or is null on this path).</summary>
    public LockState ReleaseScopesHeldBy(LockHandle holder) =>
        RemoveWhere(held => held.ReleasedByDispose && held.Handle.Equals(holder));

    /// <summary>On the path where <paramref name="flag"/> is <see langword="false"/>, the locks it stands for were not taken.</summary>
    public LockState WhenFlagFalse(ILocalSymbol flag) =>
        RemoveWhere(held => SymbolEqualityComparer.Default.Equals(held.TakenFlag, flag));

    /// <summary>
    /// On the path where <paramref name="flag"/> is <see langword="true"/>, or once it is overwritten, the locks it
    /// stood for are held whatever it says next.
    /// </summary>
    public LockState ForgetFlag(ILocalSymbol flag)
    {
        var builder = _locks.ToBuilder();
        var changed = false;
        foreach (var held in _locks)
        {
            if (SymbolEqualityComparer.Default.Equals(held.TakenFlag, flag))
            {
                builder.Remove(held);
                builder.Add(held.WithoutTakenFlag());
                changed = true;
            }
        }

        return changed ? With(builder.ToImmutable()) : this;
    }

    /// <summary>The lock taken last in source order, so messages name the innermost of nested locks.</summary>
    public HeldLock? MostRecent(Func<HeldLock, bool> include)
    {
        HeldLock? latest = null;
        foreach (var held in _locks)
        {
            if (include(held) && (latest is null || IsLater(held, latest)))
            {
                latest = held;
            }
        }

        return latest;
    }

    public bool Equals(LockState? other) => other is not null && _locks.SetEquals(other._locks);

    public override bool Equals(object? obj) => Equals(obj as LockState);

    public override int GetHashCode()
    {
        var hash = _locks.Count;
        foreach (var held in _locks)
        {
            hash ^= held.GetHashCode();
        }

        return hash;
    }

    private static bool IsLater(HeldLock candidate, HeldLock current)
    {
        var byPosition = candidate.AcquiredAt.SpanStart.CompareTo(current.AcquiredAt.SpanStart);
        return byPosition != 0 ? byPosition > 0 : candidate.Kind > current.Kind;
    }

    private LockState RemoveWhere(Func<HeldLock, bool> remove)
    {
        var builder = _locks.ToBuilder();
        foreach (var held in _locks)
        {
            if (remove(held))
            {
                builder.Remove(held);
            }
        }

        return builder.Count == _locks.Count ? this : With(builder.ToImmutable());
    }

    private LockState With(ImmutableHashSet<HeldLock> locks) =>
        locks.IsEmpty ? Empty : ReferenceEquals(locks, _locks) ? this : new LockState(locks);
}
