using Weaver.Tests.Machines;
using Weaver.Tests.Support;
using State = Weaver.Tests.Machines.ReviewMachine.State;

namespace Weaver.Tests;

/// <summary>Guards decide, see the trigger's payload, and the same payload reaches the trigger's hook.</summary>
public sealed class ReviewMachineGuardTests
{
    [Fact]
    public void Refusing_guard_sees_the_payload_and_the_trigger_returns_false_without_hooks()
    {
        var machine = ReviewMachine.Restore(State.Running);
        machine.RetryAllowed = false;
        var error = new TimeoutException("attempt 3 timed out");

        Assert.False(machine.TryScheduleRetry(error));

        Assert.Equal(State.Running, machine.Current);
        Assert.Same(error, machine.ErrorSeenByGuard);
        Assert.Null(machine.ErrorSeenByHook);
        Assert.Equal(["HasAttemptsLeft(\"attempt 3 timed out\")"], machine.Calls);
        Assert.Equal(0, machine.TransitionCount);
    }

    [Fact]
    public void Accepting_guard_and_hook_both_receive_the_same_payload()
    {
        var machine = ReviewMachine.Restore(State.Running);
        var error = new InvalidOperationException("reviewer crashed");

        Assert.True(machine.TryScheduleRetry(error));

        Assert.Equal(State.RetryScheduled, machine.Current);
        Assert.Same(error, machine.ErrorSeenByGuard);
        Assert.Same(error, machine.ErrorSeenByHook);
        Assert.Equal(
            [
                "HasAttemptsLeft(\"reviewer crashed\")",
                "OnScheduleRetry(Running, RetryScheduled, \"reviewer crashed\")",
                "OnTransitioned(Running, RetryScheduled)",
            ],
            machine.Calls);
    }

    [Fact]
    public void A_guard_that_refused_can_accept_later()
    {
        var machine = ReviewMachine.Restore(State.Running);
        machine.RetryAllowed = false;
        Assert.False(machine.TryScheduleRetry(new TimeoutException("no")));

        machine.RetryAllowed = true;
        Assert.True(machine.TryScheduleRetry(new TimeoutException("yes")));

        Assert.Equal(State.RetryScheduled, machine.Current);
        Assert.Equal(1, machine.TransitionCount);
    }

    [Theory]
    [InlineData(State.Running, "")]
    [InlineData(State.Running, "   ")]
    [InlineData(State.RetryScheduled, "")]
    [InlineData(State.RetryScheduled, "\t")]
    public void Guard_of_a_multi_source_trigger_refuses_from_every_source(State from, string reason)
    {
        var machine = ReviewMachine.Restore(from);

        Assert.False(machine.TryKill(reason));

        Assert.Equal(from, machine.Current);
        Assert.Equal([$"HasReason(\"{reason}\")"], machine.Calls);
    }

    [Theory]
    [InlineData(State.Running, "reviewer lost")]
    [InlineData(State.RetryScheduled, "too many retries")]
    public void Guard_of_a_multi_source_trigger_accepts_and_the_hook_gets_the_source_and_payload(State from, string reason)
    {
        var machine = ReviewMachine.Restore(from);

        Assert.True(machine.TryKill(reason));

        Assert.Equal(State.Dead, machine.Current);
        Assert.Equal(
            [$"HasReason(\"{reason}\")", $"OnKill({from}, Dead, \"{reason}\")", $"OnTransitioned({from}, Dead)"],
            machine.Calls);
    }

    [Theory]
    [InlineData(State.Queued)]
    [InlineData(State.Succeeded)]
    [InlineData(State.Cancelled)]
    public void Guard_does_not_run_when_the_state_does_not_permit_the_trigger(State state)
    {
        var machine = ReviewMachine.Restore(state);

        Assert.False(machine.TryKill("reason"));
        Assert.False(machine.TryScheduleRetry(new TimeoutException("error")));

        Assert.Null(machine.ErrorSeenByGuard);
        Assert.Empty(machine.Calls);
    }
}
