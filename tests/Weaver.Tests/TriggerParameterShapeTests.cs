using Weaver.Tests.Machines;

namespace Weaver.Tests;

/// <summary>Trigger payloads with defaults, <c>params</c>, clashing names, and guards that ignore the payload.</summary>
public sealed class TriggerParameterShapeTests
{
    private static readonly string DeclaredDefaults = DefaultsMachine.Describe(
        -1, 0.1, 1.5f, 19.99m, -5_000_000_000L, 7u, ulong.MaxValue, 200, -3, short.MinValue, '\n', "a \"quoted\"\ttitle",
        null, true, DayOfWeek.Friday, 4, double.PositiveInfinity, default);

    [Fact]
    public void TryX_without_arguments_uses_the_declared_defaults()
    {
        var machine = new DefaultsMachine();

        Assert.True(machine.TryConfigure());

        Assert.Equal(["guard " + DeclaredDefaults, "hook " + DeclaredDefaults], machine.Calls);
    }

    [Fact]
    public void Generated_CanX_repeats_every_default_value_exactly()
    {
        var machine = new DefaultsMachine();

        Assert.True(machine.CanConfigure());

        Assert.Equal(["guard " + DeclaredDefaults], machine.Calls);
    }

    [Fact]
    public void Generated_throwing_X_repeats_every_default_value_exactly()
    {
        var machine = new DefaultsMachine();

        machine.Configure();

        Assert.Equal(["guard " + DeclaredDefaults, "hook " + DeclaredDefaults], machine.Calls);
    }

    [Fact]
    public void Defaults_can_be_overridden_by_name()
    {
        var machine = new DefaultsMachine();

        machine.Configure(retries: 3, note: "urgent", day: DayOfWeek.Monday);

        var expected = DefaultsMachine.Describe(
            3, 0.1, 1.5f, 19.99m, -5_000_000_000L, 7u, ulong.MaxValue, 200, -3, short.MinValue, '\n', "a \"quoted\"\ttitle",
            "urgent", true, DayOfWeek.Monday, 4, double.PositiveInfinity, default);
        Assert.Equal("hook " + expected, machine.Calls[^1]);
    }

    [Fact]
    public void Params_payload_works_with_no_some_and_an_explicit_array_of_arguments()
    {
        var machine = new DefaultsMachine();

        Assert.True(machine.TryTag());
        Assert.True(machine.CanTag("@", "x"));
        machine.Tag("@", "urgent", "bug");
        machine.Tag("!", ["from", "array"]);
        Assert.True(machine.TryClose(1, 2, 3));
        Assert.False(machine.CanClose());
        Assert.Throws<InvalidTransitionException>(() => machine.Close());

        Assert.Equal(["tag #[]", "tag @[urgent,bug]", "tag ![from,array]", "close [1,2,3]"], machine.Calls);
        Assert.Equal(DefaultsMachine.State.Closed, machine.Current);
    }

    [Fact]
    public void Self_loop_transitions_fire_every_time_and_show_in_the_metadata()
    {
        var machine = new DefaultsMachine();

        for (var i = 0; i < 3; i++)
        {
            Assert.True(machine.TryTag("#", "loop"));
            Assert.Equal(DefaultsMachine.State.Open, machine.Current);
        }

        Assert.Equal(3, machine.Calls.Count);
        Assert.Contains("    Open --> Open : Configure [ConfigurationAllowed]\n", DefaultsMachine.ToMermaid(), StringComparison.Ordinal);
        Assert.Contains(new TransitionInfo("Tag", "Open", "Open"), DefaultsMachine.Transitions);
    }

    [Fact]
    public void Payloads_named_from_and_to_and_observed_reach_guard_and_hooks_on_a_multi_source_trigger()
    {
        var machine = new PayloadNamesMachine();

        Assert.False(machine.TryMove("a", "b", -1));
        Assert.True(machine.TryMove("a", "b", 1));
        Assert.True(machine.TryMove("b", "c", 2));

        Assert.Equal(PayloadNamesMachine.State.Right, machine.Current);
        Assert.Equal(
            [
                "guard a->b #-1",
                "guard a->b #1",
                "move Left->Middle payload a->b #1",
                "transitioned Left->Middle",
                "guard b->c #2",
                "move Middle->Right payload b->c #2",
                "transitioned Middle->Right",
            ],
            machine.Calls);
    }

    [Fact]
    public void A_payload_named_to_of_the_state_type_does_not_change_the_target()
    {
        var machine = PayloadNamesMachine.Restore(PayloadNamesMachine.State.Right);

        Assert.True(machine.TryJump(to: PayloadNamesMachine.State.Gone));

        Assert.Equal(PayloadNamesMachine.State.Left, machine.Current);
        Assert.Equal(["jump Right->Left payload Gone", "transitioned Right->Left"], machine.Calls);
    }

    [Theory]
    [InlineData(PayloadNamesMachine.State.Left)]
    [InlineData(PayloadNamesMachine.State.Right)]
    public void Payloads_named_like_the_renamed_locals_reach_the_hook(PayloadNamesMachine.State from)
    {
        var machine = PayloadNamesMachine.Restore(from);

        Assert.True(machine.TryLeave(from: 1, fromState: 2, toState: 3, observed: 4, observedState: 5));

        Assert.Equal(PayloadNamesMachine.State.Gone, machine.Current);
        Assert.Equal([$"leave {from}->Gone payload 1,2,3,4,5", $"transitioned {from}->Gone"], machine.Calls);
        Assert.False(machine.TryLeave(1, 2, 3, 4, 5));
    }

    [Fact]
    public void Parameterless_guard_decides_a_trigger_that_has_a_payload()
    {
        var machine = new TurnstileMachine();

        Assert.False(machine.CanInsert("ada", 1));
        Assert.False(machine.TryInsert("ada", 1));
        Assert.Null(machine.LastVisitor);
        Assert.Equal(TurnstileMachine.State.Locked, machine.Current);

        machine.Powered = true;
        Assert.True(machine.TryInsert("grace", 2));

        Assert.Equal(TurnstileMachine.State.Unlocked, machine.Current);
        Assert.Equal("grace", machine.LastVisitor);
        Assert.Equal(2, machine.LastCoins);
        Assert.Equal(3, machine.GuardCalls);
    }

    [Theory]
    [InlineData(TurnstileMachine.State.Locked, false, false, 1)]
    [InlineData(TurnstileMachine.State.Locked, true, true, 1)]
    [InlineData(TurnstileMachine.State.Unlocked, false, true, 0)]
    [InlineData(TurnstileMachine.State.Broken, true, false, 0)]
    public void Parameterless_guard_on_one_source_of_a_multi_source_trigger(
        TurnstileMachine.State from, bool powered, bool fires, int guardCalls)
    {
        var machine = TurnstileMachine.Restore(from);
        machine.Powered = powered;

        Assert.Equal(fires, machine.TryKick(force: 10));

        Assert.Equal(fires ? TurnstileMachine.State.Broken : from, machine.Current);
        Assert.Equal(guardCalls, machine.GuardCalls);
    }
}
