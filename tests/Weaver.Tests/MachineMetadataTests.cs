using Weaver.Tests.Machines;
using State = Weaver.Tests.Machines.ReviewMachine.State;

namespace Weaver.Tests;

/// <summary>The static description of a machine: Mermaid text, transition list, initial and terminal states.</summary>
public sealed class MachineMetadataTests
{
    [Fact]
    public void ToMermaid_is_the_exact_state_diagram()
    {
        const string expected =
            "stateDiagram-v2\n" +
            "    [*] --> Queued\n" +
            "    Queued --> Running : Start\n" +
            "    Running --> Succeeded : Succeed\n" +
            "    Running --> RetryScheduled : ScheduleRetry [HasAttemptsLeft]\n" +
            "    RetryScheduled --> Queued : Requeue\n" +
            "    Running --> Dead : Kill [HasReason]\n" +
            "    RetryScheduled --> Dead : Kill [HasReason]\n" +
            "    Queued --> Cancelled : Cancel\n" +
            "    RetryScheduled --> Cancelled : Cancel\n" +
            "    Succeeded --> [*]\n" +
            "    Dead --> [*]\n" +
            "    Cancelled --> [*]\n";

        Assert.Equal(expected, ReviewMachine.ToMermaid());
    }

    [Fact]
    public void Transitions_lists_every_declared_transition_in_declaration_order()
    {
        TransitionInfo[] expected =
        [
            new("Start", "Queued", "Running"),
            new("Succeed", "Running", "Succeeded"),
            new("ScheduleRetry", "Running", "RetryScheduled", "HasAttemptsLeft"),
            new("Requeue", "RetryScheduled", "Queued"),
            new("Kill", "Running", "Dead", "HasReason"),
            new("Kill", "RetryScheduled", "Dead", "HasReason"),
            new("Cancel", "Queued", "Cancelled"),
            new("Cancel", "RetryScheduled", "Cancelled"),
        ];

        Assert.Equal(expected, ReviewMachine.Transitions);
    }

    [Fact]
    public void Transitions_is_read_only_and_the_same_list_every_time()
    {
        var transitions = ReviewMachine.Transitions;

        Assert.Same(transitions, ReviewMachine.Transitions);
        var asList = Assert.IsAssignableFrom<IList<TransitionInfo>>(transitions);
        Assert.True(asList.IsReadOnly);
        Assert.Throws<NotSupportedException>(() => asList[0] = new TransitionInfo("Hack", "Queued", "Succeeded"));
    }

    [Fact]
    public void Transitions_render_with_their_guards()
    {
        Assert.Equal(
            ["Queued --Start--> Running", "Running --ScheduleRetry [HasAttemptsLeft]--> RetryScheduled"],
            ReviewMachine.Transitions.Where(t => t.Trigger is "Start" or "ScheduleRetry").Select(t => t.ToString()));
    }

    [Fact]
    public void InitialState_is_the_state_marked_Initial()
    {
        Assert.Equal(State.Queued, ReviewMachine.InitialState);
    }

    [Fact]
    public void Static_interface_members_work_from_generic_code()
    {
        Assert.Equal(State.Queued, Initial<ReviewMachine, State>());
        Assert.Equal(ReviewMachine.ToMermaid(), MermaidOf<ReviewMachine, State>());
        Assert.Equal(["Succeeded", "Dead", "Cancelled"], TerminalStates<ReviewMachine, State>().Select(s => s.ToString()));
        Assert.Equal(
            ["Start", "Succeed", "ScheduleRetry", "Requeue", "Kill", "Cancel"],
            TriggersOf<ReviewMachine, State>());

        var restored = RestoreInto<ReviewMachine, State>(new ReviewMachine(), State.RetryScheduled);
        Assert.Equal(State.RetryScheduled, restored.Current);
        Assert.False(IsDone<ReviewMachine, State>(restored));
        Assert.True(IsDone<ReviewMachine, State>(ReviewMachine.Restore(State.Dead)));
    }

    private static TState Initial<TM, TState>()
        where TM : ITaskMachine<TM, TState>
        where TState : struct, Enum => TM.InitialState;

    private static string MermaidOf<TM, TState>()
        where TM : ITaskMachine<TM, TState>
        where TState : struct, Enum => TM.ToMermaid();

    private static IEnumerable<TState> TerminalStates<TM, TState>()
        where TM : ITaskMachine<TM, TState>
        where TState : struct, Enum => Enum.GetValues<TState>().Where(TM.IsTerminalState);

    private static IEnumerable<string> TriggersOf<TM, TState>()
        where TM : ITaskMachine<TM, TState>
        where TState : struct, Enum => TM.Transitions.Select(t => t.Trigger).Distinct();

    private static TM RestoreInto<TM, TState>(TM fresh, TState state)
        where TM : ITaskMachine<TM, TState>
        where TState : struct, Enum => TM.Restore(fresh, state);

    private static bool IsDone<TM, TState>(ITaskMachine<TState> machine)
        where TM : ITaskMachine<TM, TState>
        where TState : struct, Enum => machine.IsTerminal && TM.IsTerminalState(machine.Current);
}
