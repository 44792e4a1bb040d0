using System.Linq;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Weaver.Generators.Parsing;

/// <summary>
/// The namespace of the generated <c>WeaverHandlers</c> class: the project's root namespace, which the .NET SDK
/// passes to generators as <c>build_property.RootNamespace</c>, so each assembly's class has its own full name;
/// <see cref="Fallback"/> when it is missing, empty or not a namespace name.
/// </summary>
internal static class RootNamespace
{
    public const string Fallback = "Weaver.Generated";

    public static string From(AnalyzerConfigOptionsProvider options) =>
        options.GlobalOptions.TryGetValue("build_property.RootNamespace", out var value) ? Normalize(value) ?? Fallback : Fallback;

    /// <summary>The namespace as C# source (keywords escaped), or <see langword="null"/> when it is not a namespace name.</summary>
    public static string? Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var parts = value!.Trim().Split('.');
        if (parts.Any(p => !SymbolNames.IsIdentifier(p) || p == "global"))
        {
            return null;
        }

        return string.Join(".", parts.Select(SymbolNames.Escape));
    }
}
