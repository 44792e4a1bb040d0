using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Weaver.Generators.Parsing;

/// <summary>How names and types are written into generated source.</summary>
internal static class SymbolNames
{
    /// <summary>Fully qualified, with nullable reference annotations kept, so partial signatures match exactly.</summary>
    public static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>Escapes a name that is a reserved C# keyword (<c>event</c> becomes <c>@event</c>).</summary>
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
