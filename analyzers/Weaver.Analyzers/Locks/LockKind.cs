namespace Weaver.Analyzers.Locks;

/// <summary>What kind of lock is held; a reader-writer lock's three modes are three kinds, each released by its own exit.</summary>
internal enum LockKind
{
    Monitor,
    Lock,
    SpinLock,
    ReadLock,
    UpgradeableReadLock,
    WriteLock,
    Mutex,
    Semaphore,

    /// <summary>A <c>[LockScope]</c> value (or one named in <c>.editorconfig</c>): held until disposed.</summary>
    Scope,
}
