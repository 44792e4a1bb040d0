using Weaver;
using Weaver.Tests.Machines;

/// <summary>A machine declared in the global namespace.</summary>
[TaskMachine]
public partial class GlobalNamespaceShape : ILifecycle
{
    public enum State
    {
        [Initial] Idle,
        Busy,
        [Terminal] Done,
    }

    [Transition(State.Idle, State.Busy)]
    public partial bool TryBegin();

    [Transition(State.Busy, State.Done)]
    public partial bool TryEnd();

    [Transition(State.Idle, State.Done)]
    [Transition(State.Busy, State.Done)]
    public partial bool TryAbort();
}
