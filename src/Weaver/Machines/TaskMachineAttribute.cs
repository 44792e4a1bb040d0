namespace Weaver;

/// <summary>
/// Marks a <c>partial</c> class, record or struct as a task state machine. Weaver's source generator writes its
/// atomic transition methods, <see cref="ITaskMachine{TSelf, TState}"/> implementation and metadata.
/// </summary>
/// <remarks>
/// The states are the members of the type's nested <c>enum State</c>, or of the enum given as
/// <see cref="StateType"/>. Exactly one state carries <see cref="InitialAttribute"/> and at least one carries
/// <see cref="TerminalAttribute"/>.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class TaskMachineAttribute : Attribute
{
    /// <summary>Declares a machine whose states are its nested <c>enum State</c>.</summary>
    public TaskMachineAttribute()
    {
    }

    /// <summary>Declares a machine whose states are the members of <paramref name="stateType"/>.</summary>
    /// <param name="stateType">An enum type; its members are the machine's states.</param>
    public TaskMachineAttribute(Type stateType)
    {
        StateType = stateType;
    }

    /// <summary>The enum that holds the states, or <see langword="null"/> for the nested <c>enum State</c>.</summary>
    public Type? StateType { get; }
}
