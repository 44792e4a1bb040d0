using Weaver.Tests.Machines;
using Weaver.Tests.Support;
using State = Weaver.Tests.Machines.ReviewMachine.State;

namespace Weaver.Tests;

/// <summary>Which transitions <see cref="ReviewMachine"/> makes, which it refuses, and which hooks run.</summary>
public sealed class ReviewMachineTransitionTests
{
    public static TheoryData<State, ReviewTrigger> RefusedPairs()
    {
        var data = new TheoryData<State, ReviewTrigger>();
        foreach (var state in ReviewTable.States)
        {
            foreach (var trigger in ReviewTable.Triggers)
            {
                if (!ReviewTable.Transitions.ContainsKey((state, trigger)))
                {
                    data.Add(state, trigger);
                }
            }
        }

        return data;
    }

    public static TheoryData<State, ReviewTrigger, bool> EveryStateTriggerAndGuardOutcome()
    {
        var data = new TheoryData<State, ReviewTrigger, bool>();
        foreach (var state in ReviewTable.States)
        {
            foreach (var trigger in ReviewTable.Triggers)
            {
                data.Add(state, trigger, true);
                data.Add(state, trigger, false);
            }
        }

        return data;
    }

    [Fact]
    public void Refused_pairs_and_declared_transitions_cover_every_state_and_trigger()
    {
        Assert.Equal(8, ReviewTable.Transitions.Count);
        Assert.Equal((6 * 6) - 8, RefusedPairs().Count());
    }

    [Theory]
    [InlineData(State.Queued, ReviewTrigger.Start, State.Running)]
    [InlineData(State.Running, ReviewTrigger.Succeed, State.Succeeded)]
    [InlineData(State.Running, ReviewTrigger.ScheduleRetry, State.RetryScheduled)]
    [InlineData(State.RetryScheduled, ReviewTrigger.Requeue, State.Queued)]
    [InlineData(State.Running, ReviewTrigger.Kill, State.Dead)]
    [InlineData(State.RetryScheduled, ReviewTrigger.Kill, State.Dead)]
    [InlineData(State.Queued, ReviewTrigger.Cancel, State.Cancelled)]
    [InlineData(State.RetryScheduled, ReviewTrigger.Cancel, State.Cancelled)]
    public void Declared_transition_moves_the_machine_and_runs_its_hooks_once(State from, ReviewTrigger trigger, State to)
    {
        var machine = ReviewMachine.Restore(from);

        Assert.True(ReviewTable.Try(machine, trigger));

        Assert.Equal(to, machine.Current);
        Assert.Equal(ReviewTable.CallsOfSuccessfulTry(trigger, from, to), machine.Calls);
        Assert.Equal(1, machine.TransitionCount);
    }

    [Theory]
    [MemberData(nameof(RefusedPairs))]
    public void Trigger_the_state_does_not_permit_returns_false_and_changes_nothing(State state, ReviewTrigger trigger)
    {
        var machine = ReviewMachine.Restore(state);

        Assert.False(ReviewTable.Try(machine, trigger));

        Assert.Equal(state, machine.Current);
        Assert.Empty(machine.Calls); // not even the guard runs
        Assert.Equal(0, machine.TransitionCount);
    }

    [Fact]
    public void A_full_lifecycle_calls_OnTransitioned_once_per_transition_with_its_states()
    {
        var machine = new ReviewMachine();

        Assert.True(machine.TryStart());
        Assert.False(machine.TryStart());
        Assert.False(machine.TryRequeue());
        Assert.True(machine.TryScheduleRetry(new TimeoutException("first")));
        Assert.False(machine.TrySucceed());
        Assert.True(machine.TryRequeue());
        Assert.True(machine.TryStart());
        machine.RetryAllowed = false;
        Assert.False(machine.TryScheduleRetry(new TimeoutException("second")));
        Assert.False(machine.TryKill(ReviewTable.BlankReason));
        Assert.True(machine.TrySucceed());
        Assert.False(machine.TryCancel());
        Assert.False(machine.TryKill(ReviewTable.KillReason));

        Assert.Equal(State.Succeeded, machine.Current);
        Assert.Equal(5, machine.TransitionCount);
        Assert.Equal(
            [
                "OnTransitioned(Queued, Running)",
                "OnTransitioned(Running, RetryScheduled)",
                "OnTransitioned(RetryScheduled, Queued)",
                "OnTransitioned(Queued, Running)",
                "OnTransitioned(Running, Succeeded)",
            ],
            machine.Calls.Where(call => call.StartsWith("OnTransitioned(", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_trigger_hook_runs_before_OnTransitioned()
    {
        var machine = ReviewMachine.Restore(State.RetryScheduled);

        Assert.True(machine.TryCancel());

        Assert.Equal(["OnCancel(RetryScheduled, Cancelled)", "OnTransitioned(RetryScheduled, Cancelled)"], machine.Calls);
    }

    [Theory]
    [MemberData(nameof(EveryStateTriggerAndGuardOutcome))]
    public void CanX_agrees_with_TryX_and_with_the_table(State state, ReviewTrigger trigger, bool guardAllows)
    {
        var machine = ReviewMachine.Restore(state);
        var (expectedFired, _) = ReviewTable.Step(state, trigger, guardAllows);

        var can = ReviewTable.Can(machine, trigger, guardAllows);

        Assert.Equal(state, machine.Current); // CanX only asks
        Assert.Equal(0, machine.TransitionCount);
        Assert.Equal(expectedFired, can);
        Assert.Equal(can, ReviewTable.Try(machine, trigger, guardAllows));
    }

    [Fact]
    public void CanX_runs_the_guard_with_the_payload_but_no_hook()
    {
        var machine = ReviewMachine.Restore(State.RetryScheduled);

        Assert.True(machine.CanKill("too slow"));
        Assert.False(machine.CanKill(""));

        Assert.Equal(["HasReason(\"too slow\")", "HasReason(\"\")"], machine.Calls);
        Assert.Equal(State.RetryScheduled, machine.Current);
    }

    [Fact]
    public void A_new_machine_is_in_the_initial_state_and_not_terminal()
    {
        var machine = new ReviewMachine();

        Assert.Equal(State.Queued, machine.Current);
        Assert.False(machine.IsTerminal);
        Assert.Empty(machine.Calls);
    }

    [Theory]
    [InlineData(State.Queued, false)]
    [InlineData(State.Running, false)]
    [InlineData(State.RetryScheduled, false)]
    [InlineData(State.Succeeded, true)]
    [InlineData(State.Dead, true)]
    [InlineData(State.Cancelled, true)]
    public void IsTerminal_and_IsTerminalState_follow_the_Terminal_attribute(State state, bool terminal)
    {
        Assert.Equal(terminal, ReviewMachine.IsTerminalState(state));
        Assert.Equal(terminal, ReviewMachine.Restore(state).IsTerminal);
    }

    [Theory]
    [InlineData(State.Succeeded)]
    [InlineData(State.Dead)]
    [InlineData(State.Cancelled)]
    public void No_trigger_leaves_a_terminal_state(State terminal)
    {
        var machine = ReviewMachine.Restore(terminal);

        foreach (var trigger in ReviewTable.Triggers)
        {
            Assert.False(ReviewTable.Try(machine, trigger));
        }

        Assert.Equal(terminal, machine.Current);
        Assert.Empty(machine.Calls);
    }
}
