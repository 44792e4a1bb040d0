namespace Weaver;

/// <summary>
/// What every generated task machine exposes, so the runtime and the stores can treat all machines alike.
/// </summary>
/// <typeparam name="TState">The machine's state enum.</typeparam>
public interface ITaskMachine<TState>
    where TState : struct, Enum
{
    /// <summary>The current state, read with acquire semantics.</summary>
    TState Current { get; }

    /// <summary>Whether <see cref="Current"/> is a terminal state.</summary>
    bool IsTerminal { get; }
}

/// <summary>
/// The static side of a generated task machine: its definition, for code that is generic over machine types.
/// </summary>
/// <typeparam name="TSelf">The machine type itself.</typeparam>
/// <typeparam name="TState">The machine's state enum.</typeparam>
public interface ITaskMachine<TSelf, TState> : ITaskMachine<TState>
    where TSelf : ITaskMachine<TSelf, TState>
    where TState : struct, Enum
{
    /// <summary>The state a new machine starts in.</summary>
    static abstract TState InitialState { get; }

    /// <summary>Every declared transition, in declaration order.</summary>
    static abstract IReadOnlyList<TransitionInfo> Transitions { get; }

    /// <summary>Whether <paramref name="state"/> is one of the machine's terminal states.</summary>
    static abstract bool IsTerminalState(TState state);

    /// <summary>The machine as a Mermaid <c>stateDiagram-v2</c>.</summary>
    static abstract string ToMermaid();

    /// <summary>
    /// Puts a machine that is still in its initial state into <paramref name="state"/>, as loaded from storage,
    /// without running a transition or its hooks.
    /// </summary>
    /// <param name="fresh">A newly constructed machine, still in <see cref="InitialState"/>.</param>
    /// <param name="state">The stored state; it must be one of the machine's states.</param>
    /// <returns>The machine in <paramref name="state"/> (for a struct machine, the updated copy).</returns>
    static abstract TSelf Restore(TSelf fresh, TState state);
}
