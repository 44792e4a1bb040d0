namespace Weaver.Tests.Machines;

/// <summary>
/// A machine whose hooks and guards only touch <c>int</c> fields, so that any allocation measured around its
/// triggers comes from the generated code. <c>Pause</c>/<c>Resume</c> are single-source and <c>Toggle</c> is
/// multi-source; both pairs can fire forever.
/// </summary>
[TaskMachine]
public partial class LeanMachine
{
    public enum State
    {
        [Initial] Idle,
        Working,
        Paused,
        [Terminal] Done,
        [Terminal] Failed,
    }

    public int Threshold { get; set; } = 50;

    public int HookCalls { get; private set; }

    public int TransitionCount { get; private set; }

    public int LastCode { get; private set; }

    [Transition(State.Idle, State.Working)]
    public partial bool TryStart();

    [Transition(State.Working, State.Paused)]
    public partial bool TryPause();

    [Transition(State.Paused, State.Working)]
    public partial bool TryResume();

    [Transition(State.Working, State.Paused)]
    [Transition(State.Paused, State.Working)]
    public partial bool TryToggle(int code);

    [Transition(State.Working, State.Done, Guard = nameof(Passes))]
    public partial bool TryFinish(int score);

    [Transition(State.Working, State.Failed, Guard = nameof(Passes))]
    [Transition(State.Paused, State.Failed, Guard = nameof(Passes))]
    public partial bool TryFail(int score);

    private bool Passes(int score) => score >= Threshold;

    partial void OnPause(State from, State to) => HookCalls++;

    partial void OnResume(State from, State to) => HookCalls++;

    partial void OnToggle(State from, State to, int code)
    {
        HookCalls++;
        LastCode = code;
    }

    partial void OnTransitioned(State from, State to) => TransitionCount++;
}
