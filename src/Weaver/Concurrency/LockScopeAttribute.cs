namespace Weaver;

/// <summary>
/// Tells Weaver's analyzers that a call takes a lock that stays held until the value it returns is disposed.
/// On a method, calling it takes the lock; on a class or struct, every method returning the type and every
/// constructor of it take the lock. The lock is released when that value is disposed: by a <c>using</c> declaration
/// or statement, or by an explicit <c>Dispose()</c>.
/// </summary>
/// <remarks>
/// Rule WVR0100 then reports an <c>await</c> reached while such a value is held, and WVR0101 a waiter woken up
/// while it is held. The <c>.editorconfig</c> key <c>weaver.lock_scope</c> names such methods and types without
/// the attribute, for code you cannot change.
/// </remarks>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class LockScopeAttribute : Attribute
{
}
