using Weaver.Tests.Machines;

namespace Weaver.Tests.Support;

/// <summary>
/// Runs any <see cref="ILifecycle"/> machine (states <c>Idle</c>, <c>Busy</c>, <c>Done</c>) through its instance
/// and static API, so each declaration shape is checked by the same assertions.
/// </summary>
public static class LifecycleDriver
{
    public const string Mermaid =
        "stateDiagram-v2\n" +
        "    [*] --> Idle\n" +
        "    Idle --> Busy : Begin\n" +
        "    Busy --> Done : End\n" +
        "    Idle --> Done : Abort\n" +
        "    Busy --> Done : Abort\n" +
        "    Done --> [*]\n";

    public static void Drive<TM, TState>()
        where TM : ILifecycle, ITaskMachine<TM, TState>, new()
        where TState : struct, Enum
    {
        var idle = Enum.Parse<TState>("Idle");
        var busy = Enum.Parse<TState>("Busy");
        var done = Enum.Parse<TState>("Done");

        // The instance side, along the main path. A struct machine is mutated in place in this local.
        var machine = new TM();
        Assert.Equal(idle, machine.Current);
        Assert.False(machine.IsTerminal);
        Assert.False(machine.TryEnd());
        Assert.True(machine.CanBegin());
        Assert.True(machine.TryBegin());
        Assert.Equal(busy, machine.Current);
        Assert.False(machine.CanBegin());
        Assert.False(machine.TryBegin());
        Assert.True(machine.TryEnd());
        Assert.Equal(done, machine.Current);
        Assert.True(machine.IsTerminal);
        Assert.False(machine.TryAbort());

        // The multi-source trigger, from each source.
        var aborted = new TM();
        Assert.True(aborted.TryAbort());
        Assert.Equal(done, aborted.Current);
        var restored = TM.Restore(new TM(), busy);
        Assert.Equal(busy, restored.Current);
        Assert.True(restored.TryAbort());
        Assert.Equal(done, restored.Current);

        // The static side, through the generic interface.
        Assert.Equal(idle, TM.InitialState);
        Assert.False(TM.IsTerminalState(idle));
        Assert.False(TM.IsTerminalState(busy));
        Assert.True(TM.IsTerminalState(done));
        Assert.Equal(Mermaid, TM.ToMermaid());
        Assert.Equal(
            [
                new TransitionInfo("Begin", "Idle", "Busy"),
                new TransitionInfo("End", "Busy", "Done"),
                new TransitionInfo("Abort", "Idle", "Done"),
                new TransitionInfo("Abort", "Busy", "Done"),
            ],
            TM.Transitions);

        var moved = new TM();
        Assert.True(moved.TryBegin());
        Assert.Throws<ArgumentException>(() => TM.Restore(moved, done));
        Assert.Throws<ArgumentOutOfRangeException>(() => TM.Restore(new TM(), (TState)(object)42));
    }
}
