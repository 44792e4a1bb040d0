using CsCheck;
using Weaver.Tests.Machines;
using Weaver.Tests.Support;
using GatedState = Weaver.Tests.Machines.GatedMachine.State;
using State = Weaver.Tests.Machines.ReviewMachine.State;

namespace Weaver.Tests;

/// <summary>
/// Random sequences of trigger calls, with random guard outcomes, from a random starting state: the generated
/// machine agrees at every step with a model that only looks up a hand-written transition table.
/// </summary>
public sealed class ModelPropertyTests
{
    private const int Iterations = 2_000;

    /// <summary>How a step calls the trigger.</summary>
    public enum CallForm
    {
        Try,
        CanThenTry,
        Throwing,
    }

    [Fact]
    public void Review_machine_agrees_with_its_table_at_every_step()
    {
        var step = Gen.Select(Gen.Enum<ReviewTrigger>(), Gen.Bool, Gen.Enum<CallForm>());

        Gen.Select(Gen.Enum<State>(), step.Array[0, 40]).Sample(
            (start, steps) =>
            {
                var machine = ReviewMachine.Restore(start);
                var model = start;
                var fired = 0;
                foreach (var (trigger, guardAllows, form) in steps)
                {
                    var (expected, after) = ReviewTable.Step(model, trigger, guardAllows);
                    var permitted = ReviewTable.Transitions.ContainsKey((model, trigger));

                    var actual = form switch
                    {
                        CallForm.Try => ReviewTable.Try(machine, trigger, guardAllows),
                        CallForm.CanThenTry => CanThenTry(machine, trigger, guardAllows, expected),
                        _ => Throwing(machine, trigger, guardAllows, permitted),
                    };

                    Assert.Equal(expected, actual);
                    Assert.Equal(after, machine.Current);
                    Assert.Equal(ReviewMachine.IsTerminalState(after), machine.IsTerminal);
                    model = after;
                    fired += expected ? 1 : 0;
                    Assert.Equal(fired, machine.TransitionCount);
                }
            },
            iter: Iterations);
    }

    [Fact]
    public void Gated_machine_with_per_source_targets_and_guards_agrees_with_its_table_at_every_step()
    {
        var step = Gen.Select(Gen.Enum<GatedTrigger>(), Gen.Int[0, 3], Gen.Bool);

        Gen.Select(Gen.Enum<GatedState>(), step.Array[0, 40]).Sample(
            (start, steps) =>
            {
                var machine = GatedMachine.Restore(start);
                var model = start;
                var fired = 0;
                foreach (var (trigger, ticket, gateOpen) in steps)
                {
                    machine.GateOpen = gateOpen;
                    var (expected, after) = GatedTable.Step(model, trigger, ticket, gateOpen);

                    var can = trigger switch
                    {
                        GatedTrigger.Advance => machine.CanAdvance(ticket),
                        GatedTrigger.Reject => machine.CanReject(ticket),
                        _ => machine.CanReturn(),
                    };
                    var actual = trigger switch
                    {
                        GatedTrigger.Advance => machine.TryAdvance(ticket),
                        GatedTrigger.Reject => machine.TryReject(ticket),
                        _ => machine.TryReturn(),
                    };

                    Assert.Equal(expected, can);
                    Assert.Equal(expected, actual);
                    Assert.Equal(after, machine.Current);
                    model = after;
                    fired += expected ? 1 : 0;
                    Assert.Equal(fired, machine.TransitionCount);
                }
            },
            iter: Iterations);
    }

    [Fact]
    public void Gated_table_matches_the_generated_transition_list()
    {
        var declared = GatedMachine.Transitions
            .Select(t => (t.From, t.Trigger, t.To, Guard: t.Guard ?? "None"))
            .OrderBy(t => t.ToString(), StringComparer.Ordinal);
        var table = GatedTable.Transitions
            .Select(t => (From: t.Key.From.ToString(), Trigger: t.Key.Trigger.ToString(), To: t.Value.To.ToString(), Guard: GuardMethod(t.Value.Guard)))
            .OrderBy(t => t.ToString(), StringComparer.Ordinal);

        Assert.Equal(table, declared);

        static string GuardMethod(GatedGuard guard) => guard switch
        {
            GatedGuard.EvenTicket => "IsEvenTicket",
            GatedGuard.GateOpen => "IsGateOpen",
            _ => "None",
        };
    }

    [Fact]
    public void Review_table_matches_the_generated_transition_list()
    {
        var declared = ReviewMachine.Transitions
            .Select(t => (t.From, t.Trigger, t.To, Guarded: t.Guard is not null))
            .OrderBy(t => t.ToString(), StringComparer.Ordinal);
        var table = ReviewTable.Transitions
            .Select(t => (From: t.Key.From.ToString(), Trigger: t.Key.Trigger.ToString(), To: t.Value.To.ToString(), t.Value.Guarded))
            .OrderBy(t => t.ToString(), StringComparer.Ordinal);

        Assert.Equal(table, declared);
    }

    private static bool CanThenTry(ReviewMachine machine, ReviewTrigger trigger, bool guardAllows, bool expected)
    {
        var before = machine.Current;
        Assert.Equal(expected, ReviewTable.Can(machine, trigger, guardAllows));
        Assert.Equal(before, machine.Current);
        return ReviewTable.Try(machine, trigger, guardAllows);
    }

    private static bool Throwing(ReviewMachine machine, ReviewTrigger trigger, bool guardAllows, bool permitted)
    {
        try
        {
            ReviewTable.Fire(machine, trigger, guardAllows);
            return true;
        }
        catch (InvalidTransitionException e)
        {
            Assert.Equal(permitted, e.GuardRefused);
            Assert.Equal(trigger.ToString(), e.Trigger);
            Assert.Equal(machine.Current.ToString(), e.State);
            return false;
        }
    }
}
