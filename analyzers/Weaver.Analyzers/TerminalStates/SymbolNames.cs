using Microsoft.CodeAnalysis;

namespace Weaver.Analyzers.TerminalStates;

/// <summary>How the terminal-state messages name machines and state enums: with containing types, without namespace.</summary>
internal static class SymbolNames
{
    private static readonly SymbolDisplayFormat TypeWithContainingTypes = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters);

    public static string Of(ITypeSymbol type) => type.ToDisplayString(TypeWithContainingTypes);
}
