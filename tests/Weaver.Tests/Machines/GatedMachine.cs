namespace Weaver.Tests.Machines;

/// <summary>
/// Multi-source triggers whose sources lead to different targets and carry different guards (one taking the
/// payload, one taking nothing, one none), for the model-based property tests.
/// </summary>
[TaskMachine]
public partial class GatedMachine
{
    private int _transitionCount;

    public enum State
    {
        [Initial] Draft,
        Review,
        Approved,
        [Terminal] Published,
        [Terminal] Rejected,
    }

    /// <summary>What the parameterless guard <see cref="IsGateOpen"/> answers.</summary>
    public bool GateOpen { get; set; }

    public int TransitionCount => _transitionCount;

    [Transition(State.Draft, State.Review)]
    [Transition(State.Review, State.Approved, Guard = nameof(IsEvenTicket))]
    [Transition(State.Approved, State.Published, Guard = nameof(IsGateOpen))]
    public partial bool TryAdvance(int ticket);

    [Transition(State.Draft, State.Rejected, Guard = nameof(IsEvenTicket))]
    [Transition(State.Review, State.Rejected, Guard = nameof(IsGateOpen))]
    [Transition(State.Approved, State.Rejected)]
    public partial bool TryReject(int ticket);

    [Transition(State.Review, State.Draft)]
    [Transition(State.Approved, State.Draft)]
    public partial bool TryReturn();

    private static bool IsEvenTicket(int ticket) => ticket % 2 == 0;

    private bool IsGateOpen() => GateOpen;

    partial void OnTransitioned(State from, State to) => _transitionCount++;
}
