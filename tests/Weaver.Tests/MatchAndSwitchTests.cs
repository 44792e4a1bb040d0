using Weaver.Tests.Machines;
using State = Weaver.Tests.Machines.ReviewMachine.State;

namespace Weaver.Tests;

/// <summary><c>Match</c> and <c>Switch</c> dispatch to exactly the current state's delegate.</summary>
public sealed class MatchAndSwitchTests
{
    private static readonly string[] ParameterNames = ["queued", "running", "retryScheduled", "succeeded", "dead", "cancelled"];

    public static TheoryData<State> States() => new(Enum.GetValues<State>());

    public static TheoryData<int> ParameterPositions() => new(Enumerable.Range(0, ParameterNames.Length));

    [Theory]
    [MemberData(nameof(States))]
    public void Match_calls_only_the_current_states_function_and_returns_its_result(State state)
    {
        var machine = ReviewMachine.Restore(state);
        var called = new List<string>();
        Func<string> Arm(string name) => () =>
        {
            called.Add(name);
            return name;
        };

        var result = machine.Match(
            queued: Arm("queued"),
            running: Arm("running"),
            retryScheduled: Arm("retryScheduled"),
            succeeded: Arm("succeeded"),
            dead: Arm("dead"),
            cancelled: Arm("cancelled"));

        var expected = ParameterNames[(int)state];
        Assert.Equal(expected, result);
        Assert.Equal([expected], called);
    }

    [Theory]
    [MemberData(nameof(States))]
    public void Switch_runs_only_the_current_states_action(State state)
    {
        var machine = ReviewMachine.Restore(state);
        var called = new List<string>();
        Action Arm(string name) => () => called.Add(name);

        machine.Switch(
            queued: Arm("queued"),
            running: Arm("running"),
            retryScheduled: Arm("retryScheduled"),
            succeeded: Arm("succeeded"),
            dead: Arm("dead"),
            cancelled: Arm("cancelled"));

        Assert.Equal([ParameterNames[(int)state]], called);
    }

    [Fact]
    public void Match_follows_the_machine_as_it_moves()
    {
        var machine = new ReviewMachine();
        string Describe() => machine.Match(
            queued: () => "waiting",
            running: () => "working",
            retryScheduled: () => "backing off",
            succeeded: () => "done",
            dead: () => "dead",
            cancelled: () => "cancelled");

        Assert.Equal("waiting", Describe());
        machine.Start();
        Assert.Equal("working", Describe());
        machine.Kill("stuck");
        Assert.Equal("dead", Describe());
    }

    [Theory]
    [MemberData(nameof(ParameterPositions))]
    public void Match_throws_ArgumentNullException_for_any_null_function(int position)
    {
        var machine = new ReviewMachine();
        var called = 0;
        Func<int>?[] arms = ParameterNames.Select(_ => (Func<int>)(() => ++called)).ToArray();
        arms[position] = null;

        var error = Assert.Throws<ArgumentNullException>(() => machine.Match(arms[0]!, arms[1]!, arms[2]!, arms[3]!, arms[4]!, arms[5]!));

        Assert.Equal(ParameterNames[position], error.ParamName);
        Assert.Equal(0, called);
    }

    [Theory]
    [MemberData(nameof(ParameterPositions))]
    public void Switch_throws_ArgumentNullException_for_any_null_action(int position)
    {
        var machine = ReviewMachine.Restore(State.Dead);
        var called = 0;
        Action?[] arms = ParameterNames.Select(_ => (Action)(() => called++)).ToArray();
        arms[position] = null;

        var error = Assert.Throws<ArgumentNullException>(() => machine.Switch(arms[0]!, arms[1]!, arms[2]!, arms[3]!, arms[4]!, arms[5]!));

        Assert.Equal(ParameterNames[position], error.ParamName);
        Assert.Equal(0, called);
    }
}
