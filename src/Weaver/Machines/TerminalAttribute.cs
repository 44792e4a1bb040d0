namespace Weaver;

/// <summary>
/// Marks a state in which a machine's work has ended (succeeded, failed for good, cancelled). A machine has at
/// least one; no transition leaves a terminal state.
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class TerminalAttribute : Attribute
{
}
