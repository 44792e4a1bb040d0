using Weaver.Tests.Machines;
using Weaver.Tests.Support;
using State = Weaver.Tests.Machines.ReviewMachine.State;

namespace Weaver.Tests;

/// <summary>The throwing <c>X()</c> form of each trigger and the <see cref="InvalidTransitionException"/> it throws.</summary>
public sealed class ThrowingTriggerTests
{
    [Theory]
    [InlineData(State.Queued, ReviewTrigger.Succeed, "Start,Cancel",
        "ReviewMachine cannot fire 'Succeed' in state 'Queued'; the triggers permitted in 'Queued' are: Start, Cancel.")]
    [InlineData(State.Running, ReviewTrigger.Start, "Succeed,ScheduleRetry,Kill",
        "ReviewMachine cannot fire 'Start' in state 'Running'; the triggers permitted in 'Running' are: Succeed, ScheduleRetry, Kill.")]
    [InlineData(State.RetryScheduled, ReviewTrigger.Succeed, "Requeue,Kill,Cancel",
        "ReviewMachine cannot fire 'Succeed' in state 'RetryScheduled'; the triggers permitted in 'RetryScheduled' are: Requeue, Kill, Cancel.")]
    [InlineData(State.Succeeded, ReviewTrigger.Start, "",
        "ReviewMachine cannot fire 'Start' in state 'Succeeded': no trigger is permitted in 'Succeeded'.")]
    [InlineData(State.Dead, ReviewTrigger.Cancel, "",
        "ReviewMachine cannot fire 'Cancel' in state 'Dead': no trigger is permitted in 'Dead'.")]
    [InlineData(State.Cancelled, ReviewTrigger.Kill, "",
        "ReviewMachine cannot fire 'Kill' in state 'Cancelled': no trigger is permitted in 'Cancelled'.")]
    public void Not_permitted_trigger_throws_naming_the_state_and_the_permitted_triggers(
        State state, ReviewTrigger trigger, string permitted, string message)
    {
        var machine = ReviewMachine.Restore(state);

        var error = Assert.Throws<InvalidTransitionException>(() => ReviewTable.Fire(machine, trigger));

        Assert.Equal("ReviewMachine", error.Machine);
        Assert.Equal(state.ToString(), error.State);
        Assert.Equal(trigger.ToString(), error.Trigger);
        Assert.Equal(permitted.Split(',', StringSplitOptions.RemoveEmptyEntries), error.PermittedTriggers);
        Assert.False(error.GuardRefused);
        Assert.Equal(message, error.Message);
        Assert.Equal(state, machine.Current);
        Assert.Empty(machine.Calls);
    }

    [Theory]
    [InlineData(State.Running, ReviewTrigger.ScheduleRetry, "Succeed,ScheduleRetry,Kill")]
    [InlineData(State.Running, ReviewTrigger.Kill, "Succeed,ScheduleRetry,Kill")]
    [InlineData(State.RetryScheduled, ReviewTrigger.Kill, "Requeue,Kill,Cancel")]
    public void Guard_refused_trigger_throws_saying_the_guard_refused(State state, ReviewTrigger trigger, string permitted)
    {
        var machine = ReviewMachine.Restore(state);

        var error = Assert.Throws<InvalidTransitionException>(() => ReviewTable.Fire(machine, trigger, guardAllows: false));

        Assert.Equal("ReviewMachine", error.Machine);
        Assert.Equal(state.ToString(), error.State);
        Assert.Equal(trigger.ToString(), error.Trigger);
        Assert.Equal(permitted.Split(','), error.PermittedTriggers);
        Assert.True(error.GuardRefused);
        Assert.Equal(
            $"ReviewMachine cannot fire '{trigger}' in state '{state}': the state permits it, but its guard refused it.",
            error.Message);
        Assert.IsAssignableFrom<InvalidOperationException>(error);
        Assert.Equal(state, machine.Current);
        Assert.Equal(0, machine.TransitionCount);
    }

    [Theory]
    [InlineData(State.Queued, ReviewTrigger.Start, State.Running)]
    [InlineData(State.Running, ReviewTrigger.ScheduleRetry, State.RetryScheduled)]
    [InlineData(State.RetryScheduled, ReviewTrigger.Kill, State.Dead)]
    [InlineData(State.RetryScheduled, ReviewTrigger.Cancel, State.Cancelled)]
    public void Permitted_trigger_does_not_throw_and_moves_the_machine_like_TryX(State from, ReviewTrigger trigger, State to)
    {
        var machine = ReviewMachine.Restore(from);

        ReviewTable.Fire(machine, trigger);

        Assert.Equal(to, machine.Current);
        Assert.Equal(ReviewTable.CallsOfSuccessfulTry(trigger, from, to), machine.Calls);
    }
}
