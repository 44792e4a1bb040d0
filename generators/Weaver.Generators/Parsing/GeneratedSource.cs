using System.Linq;
using Microsoft.CodeAnalysis;

namespace Weaver.Generators.Parsing;

/// <summary>
/// Tells Weaver's own generated declarations from the user's. The generator parses a compilation without its
/// output, but the analyzer sees the output too, and must not count generated members as the user's.
/// </summary>
internal static class GeneratedSource
{
    public const string HintNameSuffix = ".TaskMachine.g.cs";

    public static bool IsWeaverGenerated(ISymbol symbol) =>
        symbol.DeclaringSyntaxReferences.Length > 0
        && symbol.DeclaringSyntaxReferences.All(r => r.SyntaxTree.FilePath.EndsWith(HintNameSuffix, System.StringComparison.Ordinal));
}
