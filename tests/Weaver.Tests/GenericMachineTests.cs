using Weaver.Tests.Machines;

namespace Weaver.Tests;

/// <summary>A generic machine, <see cref="Box{T}"/>, closed over a value type and a reference type.</summary>
public sealed class GenericMachineTests
{
    [Fact]
    public void Reference_type_payload_reaches_the_guard_and_the_hook()
    {
        var box = new Box<string>();

        Assert.False(box.TryFill(null!));
        Assert.Equal(BoxStates.Empty, box.Current);
        Assert.True(box.TryFill("letter"));
        Assert.Equal("letter", box.Item);
        Assert.Equal(BoxStates.Full, box.Current);
        Assert.True(box.TryEmpty());
        Assert.Null(box.Item);
        Assert.True(box.TrySeal("fragile"));
        Assert.Equal("fragile", box.Label);
        Assert.True(box.IsTerminal);
    }

    [Fact]
    public void Value_type_payload_works_and_default_is_accepted()
    {
        var box = new Box<int>();

        Assert.True(box.CanFill(0));
        Assert.True(box.TryFill(0));
        Assert.False(box.TryFill(1));
        Assert.True(box.TrySeal(7));
        Assert.Equal(7, box.Label);
        Assert.Equal(BoxStates.Sealed, box.Current);
    }

    [Fact]
    public void Each_closed_type_has_the_static_side()
    {
        Assert.Equal(BoxStates.Empty, Initial<Box<int>, BoxStates>());
        Assert.Equal(BoxStates.Empty, Initial<Box<string>, BoxStates>());
        Assert.Equal(Box<int>.ToMermaid(), Box<Uri>.ToMermaid());
        Assert.Equal(
            [
                new TransitionInfo("Fill", "Empty", "Full", "Accepts"),
                new TransitionInfo("Empty", "Full", "Empty"),
                new TransitionInfo("Seal", "Empty", "Sealed"),
                new TransitionInfo("Seal", "Full", "Sealed"),
            ],
            Box<double>.Transitions);
        Assert.Equal(BoxStates.Full, Box<int>.Restore(BoxStates.Full).Current);
    }

    [Fact]
    public void Throwing_form_names_the_machine_without_type_arguments()
    {
        var box = new Box<string>();

        var error = Assert.Throws<InvalidTransitionException>(() => box.Fill(null!));

        Assert.Equal("Box", error.Machine);
        Assert.True(error.GuardRefused);
    }

    private static TState Initial<TM, TState>()
        where TM : ITaskMachine<TM, TState>
        where TState : struct, Enum => TM.InitialState;
}
