namespace Weaver.Tests.Machines;

/// <summary>
/// A struct machine whose states are a <c>byte</c> enum with explicit, non-sequential values, where the initial
/// state is neither the first member nor zero (zero is no state at all).
/// </summary>
[TaskMachine]
public partial struct ByteStateMachine
{
    public enum State : byte
    {
        Paused = 5,
        [Initial] Pending = 17,
        Active = 200,
        [Terminal] Closed = 99,
        [Terminal] Failed = 255,
    }

    [Transition(State.Pending, State.Active)]
    public partial bool TryActivate();

    [Transition(State.Active, State.Paused)]
    public partial bool TryPause();

    [Transition(State.Paused, State.Active)]
    public partial bool TryResume();

    [Transition(State.Active, State.Closed)]
    [Transition(State.Paused, State.Closed)]
    public partial bool TryClose();

    [Transition(State.Pending, State.Failed)]
    [Transition(State.Active, State.Failed)]
    [Transition(State.Paused, State.Failed)]
    public partial bool TryFail();
}
