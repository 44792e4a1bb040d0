namespace Weaver.Tests.Machines;

/// <summary>States named like C# keywords, written with <c>@</c>.</summary>
[TaskMachine]
public partial class KeywordStateMachine
{
    public enum State
    {
        [Initial] @event,
        @class,
        [Terminal] @return,
    }

    [Transition(State.@event, State.@class)]
    public partial bool TryDeclare();

    [Transition(State.@event, State.@return)]
    [Transition(State.@class, State.@return)]
    public partial bool TryLeave();
}
