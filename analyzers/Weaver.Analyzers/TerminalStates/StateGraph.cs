using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Weaver.Analyzers.TerminalStates;

/// <summary>A machine's states, their roles and its transitions, with the reachability questions asked of them.</summary>
internal sealed class StateGraph
{
    private readonly ILookup<IFieldSymbol, IFieldSymbol> _successors;
    private readonly ILookup<IFieldSymbol, IFieldSymbol> _predecessors;

    public StateGraph(
        INamedTypeSymbol machine,
        Location machineAttributeLocation,
        ImmutableArray<IFieldSymbol> states,
        ImmutableArray<IFieldSymbol> initialStates,
        ImmutableArray<IFieldSymbol> terminalStates,
        ImmutableArray<StateTransition> transitions)
    {
        Machine = machine;
        MachineAttributeLocation = machineAttributeLocation;
        States = states;
        InitialStates = initialStates;
        TerminalStates = terminalStates;
        Transitions = transitions;
        _successors = transitions.ToLookup<StateTransition, IFieldSymbol, IFieldSymbol>(
            transition => transition.From, transition => transition.To, SymbolEqualityComparer.Default);
        _predecessors = transitions.ToLookup<StateTransition, IFieldSymbol, IFieldSymbol>(
            transition => transition.To, transition => transition.From, SymbolEqualityComparer.Default);
    }

    public INamedTypeSymbol Machine { get; }

    /// <summary>Where the machine's <c>[TaskMachine]</c> is written.</summary>
    public Location MachineAttributeLocation { get; }

    /// <summary>The members of the state enum, in declaration order.</summary>
    public ImmutableArray<IFieldSymbol> States { get; }

    public ImmutableArray<IFieldSymbol> InitialStates { get; }

    public ImmutableArray<IFieldSymbol> TerminalStates { get; }

    public ImmutableArray<StateTransition> Transitions { get; }

    public bool IsTerminal(IFieldSymbol state) => TerminalStates.Contains(state, SymbolEqualityComparer.Default);

    /// <summary>The states some sequence of transitions leads to from <paramref name="start"/>, itself included.</summary>
    public ISet<IFieldSymbol> StatesReachableFrom(IFieldSymbol start) => Closure(new[] { start }, _successors);

    /// <summary>The states from which some sequence of transitions leads into <paramref name="targets"/>, they included.</summary>
    public ISet<IFieldSymbol> StatesThatCanReach(IEnumerable<IFieldSymbol> targets) => Closure(targets, _predecessors);

    private static ISet<IFieldSymbol> Closure(IEnumerable<IFieldSymbol> starts, ILookup<IFieldSymbol, IFieldSymbol> neighbours)
    {
        var found = new HashSet<IFieldSymbol>(starts, SymbolEqualityComparer.Default);
        var pending = new Stack<IFieldSymbol>(found);
        while (pending.Count > 0)
        {
            foreach (var neighbour in neighbours[pending.Pop()])
            {
                if (found.Add(neighbour))
                {
                    pending.Push(neighbour);
                }
            }
        }

        return found;
    }
}
