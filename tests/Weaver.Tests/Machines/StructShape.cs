namespace Weaver.Tests.Machines;

/// <summary>A machine declared as a plain struct: <c>default</c> is a machine in its initial state.</summary>
[TaskMachine]
public partial struct StructShape : ILifecycle
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
