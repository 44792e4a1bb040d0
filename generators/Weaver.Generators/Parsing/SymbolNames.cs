using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Weaver.Generators.Parsing;

/// <summary>How names and types are written into generated source.</summary>
internal static class SymbolNames
{
    /// <summary>Fully qualified, with nullable reference annotations kept, so partial signatures match exactly.</summary>
    public static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>
    /// Whether every name the emitter would write for <paramref name="type"/> is a real identifier. Half-typed
    /// code gives symbols with empty or missing names; the compiler already reports those, so emit nothing.
    /// </summary>
    public static bool IsWellFormed(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            if (!SyntaxFacts.IsValidIdentifier(t.Name) || t.TypeParameters.Any(p => !SyntaxFacts.IsValidIdentifier(p.Name)))
            {
                return false;
            }
        }

        for (var ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            if (!SyntaxFacts.IsValidIdentifier(ns.Name))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="name"/> is a real identifier (see <see cref="IsWellFormed"/>).</summary>
    public static bool IsIdentifier(string name) => SyntaxFacts.IsValidIdentifier(name);

    /// <summary>
    /// Escapes a name that is a C# keyword (<c>event</c> becomes <c>@event</c>). Contextual keywords are escaped too:
    /// a state named <c>partial</c> or <c>or</c> reads as the keyword in some of the places generated code puts it.
    /// </summary>
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None
            ? "@" + name
            : name;
}
