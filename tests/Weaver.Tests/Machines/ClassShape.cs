namespace Weaver.Tests.Machines;

/// <summary>A machine declared as a public class in a file-scoped namespace.</summary>
[TaskMachine]
public partial class ClassShape : ILifecycle
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
