using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Weaver.Generators.Model;

namespace Weaver.Generators.Parsing;

/// <summary>
/// What naming a type in generated code causes when it is <c>[Obsolete]</c>, so that generated code adds no warning
/// (and never an error) the user's own declaration does not already have.
/// </summary>
internal static class ObsoleteTypes
{
    private const string ObsoleteAttributeName = "System.ObsoleteAttribute";

    /// <summary>Whether <paramref name="type"/> or a type it is nested in is <c>[Obsolete]</c>: code inside it never warns about obsolete uses.</summary>
    public static bool IsObsoleteContext(INamedTypeSymbol type) => ContainingChain(type).Any(t => Attribute(t) is not null);

    /// <summary>What naming <paramref name="type"/>, by its full name, causes (its containers count: <c>Outer.Inner</c> names both).</summary>
    public static ObsoleteUse OfReference(INamedTypeSymbol type) => Combine(ContainingChain(type));

    /// <summary>What calling or naming <paramref name="member"/> causes, by its own <c>[Obsolete]</c> only.</summary>
    public static ObsoleteUse OfMember(ISymbol member) => Combine(new[] { member });

    /// <summary>What naming <paramref name="types"/> causes, counting every type they are made of (elements, type arguments, containers).</summary>
    public static ObsoleteUse InTypes(params ITypeSymbol[] types)
    {
        var found = new List<ISymbol>();
        foreach (var type in types)
        {
            Collect(type, found, depth: 0);
        }

        return Combine(found);
    }

    private static void Collect(ITypeSymbol type, List<ISymbol> found, int depth)
    {
        if (depth > 32)
        {
            return;
        }

        switch (type)
        {
            case IArrayTypeSymbol array:
                Collect(array.ElementType, found, depth + 1);
                break;
            case IPointerTypeSymbol pointer:
                Collect(pointer.PointedAtType, found, depth + 1);
                break;
            case INamedTypeSymbol named:
                found.AddRange(ContainingChain(named.OriginalDefinition));
                for (var outer = named; outer is not null; outer = outer.ContainingType)
                {
                    foreach (var argument in outer.TypeArguments)
                    {
                        Collect(argument, found, depth + 1);
                    }
                }

                break;
        }
    }

    private static ObsoleteUse Combine(IEnumerable<ISymbol> symbols)
    {
        var isError = false;
        var warnings = new SortedSet<string>(System.StringComparer.Ordinal);
        foreach (var attribute in symbols.Select(Attribute).Where(a => a is not null))
        {
            var arguments = attribute!.ConstructorArguments;
            if (arguments.Length >= 2 && arguments[1].Value is true)
            {
                isError = true;
                continue;
            }

            var customId = attribute.NamedArguments.FirstOrDefault(a => a.Key == "DiagnosticId").Value.Value as string;
            if (!string.IsNullOrEmpty(customId))
            {
                // A custom id goes into a #pragma; one that is not a plain name cannot, so treat it as unsuppressible.
                if (customId!.All(c => char.IsLetterOrDigit(c) || c == '_'))
                {
                    warnings.Add(customId!);
                }
                else
                {
                    isError = true;
                }

                continue;
            }

            warnings.Add("CS0612");
            warnings.Add("CS0618");
        }

        return isError || warnings.Count > 0 ? new ObsoleteUse(isError, warnings.ToEquatableArray()) : ObsoleteUse.None;
    }

    private static AttributeData? Attribute(ISymbol symbol) =>
        symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == ObsoleteAttributeName);

    private static IEnumerable<INamedTypeSymbol> ContainingChain(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            yield return t;
        }
    }
}
