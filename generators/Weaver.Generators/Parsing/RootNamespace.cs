using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Weaver.Generators.Parsing;

/// <summary>
/// The namespace of the generated <c>WeaverHandlers</c> class: the project's root namespace, which the .NET SDK
/// passes to generators as <c>build_property.RootNamespace</c>, so each assembly's class has its own full name;
/// <see cref="Fallback"/> when it is missing, empty or not a namespace name.
/// </summary>
/// <remarks>
/// A namespace that would not compile in this assembly is passed over for the next one: one whose name (or a prefix of
/// it) is also a type's name, such as a global-namespace class <c>Ping</c> in project <c>Ping</c> (CS0101), or one that
/// already has a <c>WeaverHandlers</c> that is not a <c>public static partial class</c>.
/// </remarks>
internal static class RootNamespace
{
    public const string Fallback = "Weaver.Generated";

    /// <summary>The configured root namespace as C# source, or <see langword="null"/>.</summary>
    public static string? Configured(AnalyzerConfigOptionsProvider options) =>
        options.GlobalOptions.TryGetValue("build_property.RootNamespace", out var value) ? Normalize(value) : null;

    /// <summary>The first of the configured namespace, <see cref="Fallback"/> and <c>WeaverGenerated</c> that fits the compilation.</summary>
    public static string Choose(string? configured, Compilation compilation)
    {
        var candidates = new[] { configured, Fallback, "WeaverGenerated" }.Where(c => c is not null).Select(c => c!).ToList();
        return candidates.FirstOrDefault(c => Fits(c, compilation)) ?? candidates[candidates.Count - 1];
    }

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

    private static bool Fits(string ns, Compilation compilation)
    {
        INamespaceSymbol? current = compilation.Assembly.GlobalNamespace;
        foreach (var part in ns.Split('.').Select(p => p.TrimStart('@')))
        {
            if (current.GetTypeMembers(part).Any())
            {
                return false; // the namespace and a type of one name in one place: CS0101
            }

            current = current.GetNamespaceMembers().FirstOrDefault(n => n.Name == part);
            if (current is null)
            {
                return true; // a namespace of its own from here on
            }
        }

        if (current.GetNamespaceMembers().Any(n => n.Name == "WeaverHandlers"))
        {
            return false;
        }

        return current.GetTypeMembers("WeaverHandlers", 0).All(IsCompatiblePart);
    }

    /// <summary>A <c>WeaverHandlers</c> of the user's that the generated part merges into.</summary>
    private static bool IsCompatiblePart(INamedTypeSymbol type) =>
        type is { TypeKind: TypeKind.Class, IsStatic: true, DeclaredAccessibility: Accessibility.Public }
        && type.DeclaringSyntaxReferences.All(r => r.GetSyntax() is ClassDeclarationSyntax c
            && c.Modifiers.Any(m => m.ValueText == "partial"));
}
