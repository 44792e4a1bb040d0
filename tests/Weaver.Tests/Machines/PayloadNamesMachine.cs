namespace Weaver.Tests.Machines;

/// <summary>
/// Payload parameters named <c>from</c>, <c>to</c> and <c>observed</c>, which the generated code also uses for its
/// locals and hook parameters; the generator must rename its own. The hook implementations below use the names
/// the generator documents (<c>fromState</c>, <c>toState</c>, ...), which C# requires to match.
/// </summary>
[TaskMachine]
public partial class PayloadNamesMachine
{
    private readonly List<string> _calls = new();

    public enum State
    {
        [Initial] Left,
        Middle,
        Right,
        [Terminal] Gone,
    }

    public IReadOnlyList<string> Calls => _calls;

    /// <summary>Multi-source, with a guard that takes the payload.</summary>
    [Transition(State.Left, State.Middle, Guard = nameof(MoveAllowed))]
    [Transition(State.Middle, State.Right, Guard = nameof(MoveAllowed))]
    public partial bool TryMove(string from, string to, int observed);

    /// <summary>Single-source, with a payload of the state type named <c>to</c>.</summary>
    [Transition(State.Right, State.Left)]
    public partial bool TryJump(State to);

    /// <summary>Multi-source, with payloads named like the renamed locals too.</summary>
    [Transition(State.Left, State.Gone)]
    [Transition(State.Right, State.Gone)]
    public partial bool TryLeave(int from, int fromState, int toState, int observed, int observedState);

    private bool MoveAllowed(string from, string to, int observed)
    {
        _calls.Add($"guard {from}->{to} #{observed}");
        return observed >= 0;
    }

    partial void OnMove(State fromState, State toState, string from, string to, int observed) =>
        _calls.Add($"move {fromState}->{toState} payload {from}->{to} #{observed}");

    partial void OnJump(State from, State toState, State to) =>
        _calls.Add($"jump {from}->{toState} payload {to}");

    partial void OnLeave(State fromStateState, State to, int from, int fromState, int toState, int observed, int observedState) =>
        _calls.Add($"leave {fromStateState}->{to} payload {from},{fromState},{toState},{observed},{observedState}");

    partial void OnTransitioned(State from, State to) => _calls.Add($"transitioned {from}->{to}");
}
