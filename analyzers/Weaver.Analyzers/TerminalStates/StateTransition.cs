using Microsoft.CodeAnalysis;

namespace Weaver.Analyzers.TerminalStates;

/// <summary>One <c>[Transition(from, to)]</c> of a machine, with the place the attribute is written.</summary>
internal sealed class StateTransition
{
    public StateTransition(IFieldSymbol from, IFieldSymbol to, Location attributeLocation)
    {
        From = from;
        To = to;
        AttributeLocation = attributeLocation;
    }

    public IFieldSymbol From { get; }

    public IFieldSymbol To { get; }

    public Location AttributeLocation { get; }
}
