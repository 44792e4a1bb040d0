using Weaver.Tests.Machines;
using Weaver.Tests.Support;
using State = Weaver.Tests.Machines.ReviewMachine.State;

namespace Weaver.Tests;

/// <summary><c>Restore</c> puts a machine into a stored state without running transitions or hooks.</summary>
public sealed class RestoreTests
{
    public static TheoryData<State> States() => new(Enum.GetValues<State>());

    [Theory]
    [MemberData(nameof(States))]
    public void Restore_creates_a_machine_in_the_state_without_running_hooks(State state)
    {
        var machine = ReviewMachine.Restore(state);

        Assert.Equal(state, machine.Current);
        Assert.Equal(ReviewMachine.IsTerminalState(state), machine.IsTerminal);
        Assert.Empty(machine.Calls);
        Assert.Equal(0, machine.TransitionCount);
    }

    [Theory]
    [MemberData(nameof(States))]
    public void Restore_into_a_fresh_instance_returns_that_instance_in_the_state(State state)
    {
        var fresh = new ReviewMachine();

        var restored = ReviewMachine.Restore(fresh, state);

        Assert.Same(fresh, restored);
        Assert.Equal(state, fresh.Current);
        Assert.Empty(fresh.Calls);
    }

    [Theory]
    [MemberData(nameof(States))]
    public void A_restored_machine_follows_the_table_from_its_state(State state)
    {
        foreach (var trigger in ReviewTable.Triggers)
        {
            var machine = ReviewMachine.Restore(state);
            var (fired, after) = ReviewTable.Step(state, trigger, guardAllows: true);

            Assert.Equal(fired, ReviewTable.Try(machine, trigger));
            Assert.Equal(after, machine.Current);
        }
    }

    [Theory]
    [InlineData(99)]
    [InlineData(-1)]
    [InlineData(6)]
    public void Restore_rejects_a_value_that_is_not_a_state(int value)
    {
        var fresh = new ReviewMachine();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ReviewMachine.Restore(fresh, (State)value));

        Assert.Equal("state", error.ParamName);
        Assert.Equal((State)value, error.ActualValue);
        Assert.StartsWith(
            "Not a state of ReviewMachine; its states are Queued, Running, RetryScheduled, Succeeded, Dead, Cancelled.",
            error.Message);
        Assert.Equal(State.Queued, fresh.Current); // untouched, still usable
        Assert.Throws<ArgumentOutOfRangeException>(() => ReviewMachine.Restore((State)value));
    }

    [Fact]
    public void Restore_rejects_an_instance_that_already_moved_and_leaves_it_alone()
    {
        var moved = new ReviewMachine();
        moved.Start();

        var error = Assert.Throws<ArgumentException>(() => ReviewMachine.Restore(moved, State.Cancelled));

        Assert.IsNotType<ArgumentOutOfRangeException>(error);
        Assert.Equal("fresh", error.ParamName);
        Assert.StartsWith(
            "Restore needs a ReviewMachine still in its initial state 'Queued', but this one is in 'Running'.",
            error.Message);
        Assert.Equal(State.Running, moved.Current);
        Assert.Equal(1, moved.TransitionCount);
    }

    [Fact]
    public void Restore_rejects_an_instance_that_was_already_restored()
    {
        var machine = ReviewMachine.Restore(State.Succeeded);

        var error = Assert.Throws<ArgumentException>(() => ReviewMachine.Restore(machine, State.Running));

        Assert.Equal("fresh", error.ParamName);
        Assert.Equal(State.Succeeded, machine.Current);
    }

    [Fact]
    public void Restore_rejects_null()
    {
        var error = Assert.Throws<ArgumentNullException>(() => ReviewMachine.Restore(null!, State.Running));

        Assert.Equal("fresh", error.ParamName);
    }
}
