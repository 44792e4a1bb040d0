using Microsoft.CodeAnalysis;
using Weaver.Analyzers.Infrastructure;

namespace Weaver.Analyzers.Locks;

/// <summary>The descriptors of the lock rules.</summary>
internal static class LockDiagnostics
{
    /// <summary>{0}: the held lock (<c>the Monitor lock on '_gate'</c>); {1}: the line that took it.</summary>
    public static readonly DiagnosticDescriptor AwaitWhileLockHeld = AnalyzerRules.Create(
        "WVR0100",
        "Await while a lock is held",
        "'await' runs while {0} taken at line {1} is held; release it before awaiting, or use SemaphoreSlim.WaitAsync for a lock that can be held across an await",
        AnalyzerRules.Locks,
        DiagnosticSeverity.Warning,
        "An await reached on some path while a thread-affine lock (Monitor, Lock, SpinLock, ReaderWriterLockSlim, Mutex), "
        + "a blocking SemaphoreSlim.Wait or a [LockScope] value is held: the continuation may run on another thread, "
        + "which then cannot release the lock, and every other thread waits on it for as long as the await lasts.");

    /// <summary>{0}: the wake-up call (<c>TaskCompletionSource&lt;TResult&gt;.SetResult</c>); {1}: the held lock; {2}: the line that took it.</summary>
    public static readonly DiagnosticDescriptor WakeUpWhileLockHeld = AnalyzerRules.Create(
        "WVR0101",
        "Waiter woken up while a lock is held",
        "'{0}' wakes up a waiter while {1} taken at line {2} is held; call it after releasing the lock",
        AnalyzerRules.Locks,
        DiagnosticSeverity.Warning,
        "Setting an event, releasing a semaphore, completing a TaskCompletionSource without "
        + "RunContinuationsAsynchronously or enqueuing into a Weaver TaskQueue while a lock is held wakes up a thread "
        + "that may need the same lock at once, or runs its continuation inline under the lock.");
}
