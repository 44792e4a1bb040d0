namespace Weaver.Tests.Machines;

/// <summary>Regression: a machine whose parameterless constructor is <c>[Obsolete]</c> (kept for serializers).</summary>
[TaskMachine]
public partial class ObsoleteConstructorMachine
{
    [Obsolete("For serializers only; use the constructor that takes an owner.")]
    public ObsoleteConstructorMachine()
    {
        Owner = string.Empty;
    }

    public ObsoleteConstructorMachine(string owner)
    {
        Owner = owner;
    }

    public enum State
    {
        [Initial] Open,
        [Terminal] Closed,
    }

    public string Owner { get; }

    [Transition(State.Open, State.Closed)]
    public partial bool TryClose();
}
