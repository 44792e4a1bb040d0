using Weaver;

namespace AgentFleet.Agents;

/// <summary>
/// One agent's life in the fleet, as the driver sees it: idle or working on a task, frozen mid-task (its clock stopped,
/// like a long GC pause or SIGSTOP), crashed for good, or retired at the end of the run.
/// </summary>
[TaskMachine]
public partial class AgentSession
{
    public enum State
    {
        [Initial] Idle,
        Working,
        Frozen,
        [Terminal] Crashed,
        [Terminal] Retired,
    }

    /// <summary>The task the agent works on; null while idle.</summary>
    public string? Task { get; private set; }

    [Transition(State.Idle, State.Working)]
    public partial bool TryWork(string task);

    [Transition(State.Working, State.Idle)]
    public partial bool TryFinish();

    [Transition(State.Idle, State.Frozen)]
    [Transition(State.Working, State.Frozen)]
    public partial bool TryFreeze();

    [Transition(State.Frozen, State.Idle)]
    public partial bool TryThaw();

    [Transition(State.Idle, State.Crashed)]
    [Transition(State.Working, State.Crashed)]
    [Transition(State.Frozen, State.Crashed)]
    public partial bool TryCrash();

    [Transition(State.Idle, State.Retired)]
    [Transition(State.Working, State.Retired)]
    [Transition(State.Frozen, State.Retired)]
    public partial bool TryRetire();

    partial void OnWork(State from, State to, string task) => Task = task;

    partial void OnFinish(State from, State to) => Task = null;

    partial void OnThaw(State from, State to) => Task = null;
}
