namespace Weaver;

/// <summary>
/// Marks a method of a <c>[TaskHandler]</c> class that runs once after a task of the handler's kind has ended in
/// <paramref name="state"/>, a <c>[Terminal]</c> state of <see cref="TaskLifecycle.State"/>.
/// </summary>
/// <remarks>
/// <para>The method is a non-generic instance method that takes the ended task's <see cref="TaskSnapshot"/>, and
/// optionally a <see cref="CancellationToken"/> (cancelled when the worker group's grace period for stopping runs
/// out), and returns <see langword="void"/>, <see cref="Task"/> or <see cref="ValueTask"/>. Put the attribute on
/// the method once per state it handles; several methods for one state run in declaration order.</para>
/// <para>Outcomes are opt-in, but a handler that declares one should declare them all: analyzer WVR0114 reports a
/// handler that handles some terminal states and not the others.</para>
/// </remarks>
/// <param name="state">The terminal state, such as <c>TaskLifecycle.State.Dead</c>.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class OnOutcomeAttribute(object state) : Attribute
{
    /// <summary>The terminal state the method handles.</summary>
    public object State { get; } = state;
}
