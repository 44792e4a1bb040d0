using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Weaver.Analyzers.Infrastructure;

/// <summary>
/// Reads a machine's state enum. The states' roles live on the enum's members (<c>[Initial]</c>, <c>[Terminal]</c>),
/// so an enum with a <c>[Terminal]</c> member is a state enum whichever machine uses it.
/// </summary>
internal static class StateEnums
{
    /// <summary>The members marked <c>[Terminal]</c>, in declaration order; empty when the type is not a state enum.</summary>
    public static ImmutableArray<IFieldSymbol> TerminalStates(ITypeSymbol type, WeaverSymbols symbols)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType || symbols.TerminalAttribute is null)
        {
            return ImmutableArray<IFieldSymbol>.Empty;
        }

        var terminals = ImmutableArray.CreateBuilder<IFieldSymbol>();
        foreach (var member in enumType.GetMembers())
        {
            if (member is IFieldSymbol { HasConstantValue: true } field && symbols.HasAttribute(field, symbols.TerminalAttribute))
            {
                terminals.Add(field);
            }
        }

        return terminals.ToImmutable();
    }
}
