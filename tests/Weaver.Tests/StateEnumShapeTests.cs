using Weaver.Tests.Machines;
using Weaver.Tests.Machines.States;
using ByteState = Weaver.Tests.Machines.ByteStateMachine.State;
using KeywordState = Weaver.Tests.Machines.KeywordStateMachine.State;

namespace Weaver.Tests;

/// <summary>State enums with unusual names, placement, underlying type and values.</summary>
public sealed class StateEnumShapeTests
{
    [Theory]
    [InlineData(KeywordState.@event, "event")]
    [InlineData(KeywordState.@class, "class")]
    [InlineData(KeywordState.@return, "return")]
    public void Keyword_states_get_escaped_Match_and_Switch_parameters(KeywordState state, string expected)
    {
        var machine = KeywordStateMachine.Restore(state);

        // Named arguments: this only compiles if the parameters are called @event, @class and @return.
        var matched = machine.Match(@event: () => "event", @class: () => "class", @return: () => "return");
        var switched = string.Empty;
        machine.Switch(@event: () => switched = "event", @class: () => switched = "class", @return: () => switched = "return");

        Assert.Equal(expected, matched);
        Assert.Equal(expected, switched);
    }

    [Fact]
    public void Keyword_states_transition_and_appear_unescaped_in_metadata_and_messages()
    {
        var machine = new KeywordStateMachine();
        Assert.Equal(KeywordState.@event, machine.Current);
        Assert.True(machine.TryDeclare());
        Assert.Equal(KeywordState.@class, machine.Current);
        Assert.True(machine.TryLeave());
        Assert.True(machine.IsTerminal);

        var error = Assert.Throws<InvalidTransitionException>(machine.Declare);
        Assert.Equal("return", error.State);
        Assert.Equal("KeywordStateMachine cannot fire 'Declare' in state 'return': no trigger is permitted in 'return'.", error.Message);

        Assert.Equal(
            [
                new TransitionInfo("Declare", "event", "class"),
                new TransitionInfo("Leave", "event", "return"),
                new TransitionInfo("Leave", "class", "return"),
            ],
            KeywordStateMachine.Transitions);
        Assert.Equal(
            "stateDiagram-v2\n" +
            "    [*] --> event\n" +
            "    event --> class : Declare\n" +
            "    event --> return : Leave\n" +
            "    class --> return : Leave\n" +
            "    return --> [*]\n",
            KeywordStateMachine.ToMermaid());
    }

    [Fact]
    public void External_state_enum_is_the_machines_state_type()
    {
        var machine = new DocumentMachine();
        ITaskMachine<DocumentStates> asInterface = machine;

        Assert.Equal(DocumentStates.Draft, DocumentMachine.InitialState);
        Assert.Equal(DocumentStates.Draft, asInterface.Current);
        Assert.True(machine.TryPublish());
        Assert.True(machine.TryUnpublish());
        Assert.True(machine.TryPublish());
        Assert.Equal(DocumentStates.Published, machine.Current);
        Assert.True(machine.TryArchive());
        Assert.True(asInterface.IsTerminal);
        Assert.True(DocumentMachine.IsTerminalState(DocumentStates.Archived));
        Assert.Equal(DocumentStates.Draft, InitialOf<DocumentMachine, DocumentStates>());
    }

    [Theory]
    [InlineData(DocumentStates.Draft, "draft")]
    [InlineData(DocumentStates.Published, "published")]
    [InlineData(DocumentStates.Archived, "archived")]
    public void External_state_enum_names_the_Match_parameters(DocumentStates state, string expected)
    {
        var machine = DocumentMachine.Restore(state);

        Assert.Equal(expected, machine.Match(draft: () => "draft", published: () => "published", archived: () => "archived"));
    }

    [Fact]
    public void Byte_enum_machine_starts_in_its_initial_state_even_as_default()
    {
        Assert.Equal(ByteState.Pending, ByteStateMachine.InitialState);
        Assert.Equal(ByteState.Pending, new ByteStateMachine().Current);
        Assert.Equal(ByteState.Pending, default(ByteStateMachine).Current);
        Assert.Equal(17, (byte)default(ByteStateMachine).Current);
    }

    [Theory]
    [InlineData(ByteState.Paused)]
    [InlineData(ByteState.Pending)]
    [InlineData(ByteState.Active)]
    [InlineData(ByteState.Closed)]
    [InlineData(ByteState.Failed)]
    public void Byte_enum_machine_restores_into_every_state_and_dispatches_by_declaration_order(ByteState state)
    {
        var machine = ByteStateMachine.Restore(state);

        Assert.Equal(state, machine.Current);
        Assert.Equal(state is ByteState.Closed or ByteState.Failed, machine.IsTerminal);
        Assert.Equal(
            state.ToString(),
            machine.Match(
                paused: () => "Paused",
                pending: () => "Pending",
                active: () => "Active",
                closed: () => "Closed",
                failed: () => "Failed"));
    }

    [Theory]
    [InlineData((byte)0)]
    [InlineData((byte)1)]
    [InlineData((byte)100)]
    [InlineData((byte)254)]
    public void Byte_enum_machine_rejects_values_that_are_not_states(byte value)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ByteStateMachine.Restore((ByteState)value));

        Assert.StartsWith("Not a state of ByteStateMachine; its states are Paused, Pending, Active, Closed, Failed.", error.Message);
    }

    [Fact]
    public void Byte_enum_machine_walks_every_transition()
    {
        var machine = default(ByteStateMachine);

        Assert.False(machine.TryPause());
        Assert.True(machine.TryActivate());
        Assert.True(machine.TryPause());
        Assert.Equal(ByteState.Paused, machine.Current);
        Assert.True(machine.TryResume());
        Assert.True(machine.TryPause());
        Assert.True(machine.TryClose());
        Assert.Equal(ByteState.Closed, machine.Current);
        Assert.False(machine.TryFail());

        foreach (var source in new[] { ByteState.Pending, ByteState.Active, ByteState.Paused })
        {
            var failing = ByteStateMachine.Restore(source);
            Assert.True(failing.TryFail());
            Assert.Equal(ByteState.Failed, failing.Current);
        }
    }

    [Fact]
    public void Byte_enum_machine_metadata_uses_the_declared_names()
    {
        Assert.Equal(
            "stateDiagram-v2\n" +
            "    [*] --> Pending\n" +
            "    Pending --> Active : Activate\n" +
            "    Active --> Paused : Pause\n" +
            "    Paused --> Active : Resume\n" +
            "    Active --> Closed : Close\n" +
            "    Paused --> Closed : Close\n" +
            "    Pending --> Failed : Fail\n" +
            "    Active --> Failed : Fail\n" +
            "    Paused --> Failed : Fail\n" +
            "    Closed --> [*]\n" +
            "    Failed --> [*]\n",
            ByteStateMachine.ToMermaid());

        var error = Assert.Throws<InvalidTransitionException>(() => default(ByteStateMachine).Pause());
        Assert.Equal("Pending", error.State);
        Assert.Equal(["Activate", "Fail"], error.PermittedTriggers);
    }

    private static TState InitialOf<TM, TState>()
        where TM : ITaskMachine<TM, TState>
        where TState : struct, Enum => TM.InitialState;
}
