using State = Weaver.Tests.Machines.GatedMachine.State;

namespace Weaver.Tests.Support;

public enum GatedTrigger
{
    Advance,
    Reject,
    Return,
}

public enum GatedGuard
{
    None,
    EvenTicket,
    GateOpen,
}

/// <summary>The specification of <c>GatedMachine</c>, written by hand from its declaration.</summary>
public static class GatedTable
{
    public static readonly IReadOnlyDictionary<(State From, GatedTrigger Trigger), (State To, GatedGuard Guard)> Transitions =
        new Dictionary<(State, GatedTrigger), (State, GatedGuard)>
        {
            [(State.Draft, GatedTrigger.Advance)] = (State.Review, GatedGuard.None),
            [(State.Review, GatedTrigger.Advance)] = (State.Approved, GatedGuard.EvenTicket),
            [(State.Approved, GatedTrigger.Advance)] = (State.Published, GatedGuard.GateOpen),
            [(State.Draft, GatedTrigger.Reject)] = (State.Rejected, GatedGuard.EvenTicket),
            [(State.Review, GatedTrigger.Reject)] = (State.Rejected, GatedGuard.GateOpen),
            [(State.Approved, GatedTrigger.Reject)] = (State.Rejected, GatedGuard.None),
            [(State.Review, GatedTrigger.Return)] = (State.Draft, GatedGuard.None),
            [(State.Approved, GatedTrigger.Return)] = (State.Draft, GatedGuard.None),
        };

    public static (bool Fired, State After) Step(State state, GatedTrigger trigger, int ticket, bool gateOpen)
    {
        if (!Transitions.TryGetValue((state, trigger), out var transition))
        {
            return (false, state);
        }

        var allowed = transition.Guard switch
        {
            GatedGuard.None => true,
            GatedGuard.EvenTicket => ticket % 2 == 0,
            GatedGuard.GateOpen => gateOpen,
            _ => throw new ArgumentOutOfRangeException(nameof(trigger)),
        };
        return allowed ? (true, transition.To) : (false, state);
    }
}
