using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Weaver.Generators.Model;

namespace Weaver.Generators.Parsing;

/// <summary>How the generator reopens a type as <c>partial</c> and names its generated file.</summary>
internal static class TypeDeclarations
{
    /// <summary>The types <paramref name="type"/> is nested in, outermost first.</summary>
    public static IEnumerable<INamedTypeSymbol> ContainingTypes(INamedTypeSymbol type)
    {
        var chain = new List<INamedTypeSymbol>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            chain.Insert(0, outer);
        }

        return chain;
    }

    /// <summary>The keyword and name that reopen <paramref name="type"/> as <c>partial</c>.</summary>
    public static TypeDeclarationSpec Of(INamedTypeSymbol type)
    {
        var keyword = type switch
        {
            { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
            { IsRecord: true } => "record",
            { TypeKind: TypeKind.Struct } => "struct",
            { TypeKind: TypeKind.Interface } => "interface",
            _ => "class",
        };
        var name = SymbolNames.Escape(type.Name);
        if (type.TypeParameters.Length > 0)
        {
            name += "<" + string.Join(", ", type.TypeParameters.Select(p => p.Name)) + ">";
        }

        return new TypeDeclarationSpec(keyword, name, type.IsValueType);
    }

    /// <summary>The name <c>GetTypeByMetadataName</c> finds <paramref name="type"/> by: <c>Demo.Outer+Inner</c>.</summary>
    public static string MetadataName(INamedTypeSymbol type)
    {
        var name = type.MetadataName;
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            name = outer.MetadataName + "+" + name;
        }

        return type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + name : name;
    }

    /// <summary>
    /// A file name for <paramref name="type"/>'s generated part: its full metadata name, then <paramref name="suffix"/>.
    /// </summary>
    /// <remarks>
    /// Hint names compare ignoring case, only letters, digits, <c>.</c> and <c>_</c> are kept, and nesting is written
    /// as <c>.</c> like namespaces. When that could make two types' names meet (a replaced character, or a type or
    /// namespace beside another of the same name ignoring case), a hash of the exact metadata name keeps them apart,
    /// since a repeated hint name would stop the generator.
    /// </remarks>
    public static string HintName(INamedTypeSymbol type, string suffix)
    {
        var name = MetadataName(type);
        var readable = name.Replace('+', '.');
        var safe = new string(readable.Select(c => char.IsLetterOrDigit(c) || c is '.' or '_' ? c : '_').ToArray());
        if (safe != readable || HasCaseTwin(type))
        {
            safe += "_" + Hash(name);
        }

        return safe + suffix;
    }

    private static bool HasCaseTwin(INamedTypeSymbol type)
    {
        for (ISymbol? symbol = type; symbol is INamedTypeSymbol or INamespaceSymbol { IsGlobalNamespace: false }; symbol = symbol.ContainingSymbol)
        {
            var siblings = symbol.ContainingSymbol switch
            {
                INamedTypeSymbol outer => outer.GetTypeMembers().Cast<ISymbol>(),
                INamespaceSymbol ns => ns.GetMembers(),
                _ => Enumerable.Empty<ISymbol>(),
            };
            var self = symbol;
            if (siblings.Any(s => !SymbolEqualityComparer.Default.Equals(s, self) && string.Equals(s.Name, self.Name, System.StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>FNV-1a over UTF-16 code units: stable across runs and platforms, unlike <c>string.GetHashCode</c>.</summary>
    private static string Hash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash.ToString("x8", CultureInfo.InvariantCulture);
    }
}
