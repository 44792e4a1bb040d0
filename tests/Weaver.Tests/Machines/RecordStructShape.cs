namespace Weaver.Tests.Machines;

/// <summary>A machine declared as a record struct.</summary>
[TaskMachine]
public partial record struct RecordStructShape : ILifecycle
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
