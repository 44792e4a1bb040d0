namespace Weaver.Tests.Machines;

/// <summary>Regression: a state named <c>Unknown</c> gives <c>Match</c> a parameter that clashes with a generated local.</summary>
[TaskMachine]
public partial class UnknownStateMachine
{
    public enum State
    {
        [Initial] Unknown,
        [Terminal] Known,
    }

    [Transition(State.Unknown, State.Known)]
    public partial bool TryLearn();
}
