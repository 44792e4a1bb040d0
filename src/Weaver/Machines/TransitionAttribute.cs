namespace Weaver;

/// <summary>
/// Declares that the annotated <c>partial bool Try…(…)</c> method moves the machine from <see cref="From"/> to
/// <see cref="To"/>. Put several on one method to permit the trigger from several source states.
/// </summary>
/// <remarks>
/// The method's parameters are the trigger's payload; they reach the guard and the trigger's hook. Weaver writes
/// the method's body: an atomic compare-and-exchange that returns <see langword="false"/>, and never throws, when
/// the current state does not permit the trigger or the guard refuses it.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class TransitionAttribute : Attribute
{
    /// <summary>Declares a transition from <paramref name="from"/> to <paramref name="to"/>.</summary>
    /// <param name="from">The source state: a member of the machine's state enum.</param>
    /// <param name="to">The target state: a member of the machine's state enum.</param>
    public TransitionAttribute(object from, object to)
    {
        From = from;
        To = to;
    }

    /// <summary>The state the transition leaves.</summary>
    public object From { get; }

    /// <summary>The state the transition enters.</summary>
    public object To { get; }

    /// <summary>
    /// The name of a <c>bool</c> method of the machine that must return <see langword="true"/> for the transition
    /// to happen. It takes either no parameters or exactly the trigger's parameters. Use <c>nameof</c>.
    /// </summary>
    public string? Guard { get; set; }
}
