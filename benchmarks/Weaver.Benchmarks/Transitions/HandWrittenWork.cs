namespace Weaver.Benchmarks.Transitions;

/// <summary>
/// The floor: <see cref="WorkMachine"/>'s transitions written by hand as one
/// <see cref="Interlocked.CompareExchange(ref int, int, int)"/> each, with no hooks, guards or metadata.
/// </summary>
public sealed class HandWrittenWork
{
    private int _state;

    /// <summary>A machine in <paramref name="state"/>.</summary>
    /// <param name="state">Its first state.</param>
    public HandWrittenWork(WorkMachine.State state) => _state = (int)state;

    /// <summary>The current state.</summary>
    public WorkMachine.State Current => (WorkMachine.State)Volatile.Read(ref _state);

    /// <summary>Idle to Working.</summary>
    /// <returns>Whether the machine moved.</returns>
    public bool TryStart() => Move(WorkMachine.State.Idle, WorkMachine.State.Working);

    /// <summary>Working to Paused.</summary>
    /// <returns>Whether the machine moved.</returns>
    public bool TryPause() => Move(WorkMachine.State.Working, WorkMachine.State.Paused);

    /// <summary>Paused to Working.</summary>
    /// <returns>Whether the machine moved.</returns>
    public bool TryResume() => Move(WorkMachine.State.Paused, WorkMachine.State.Working);

    private bool Move(WorkMachine.State from, WorkMachine.State to) =>
        Interlocked.CompareExchange(ref _state, (int)to, (int)from) == (int)from;
}
