using Microsoft.CodeAnalysis;

namespace Weaver.Generators.Parsing;

/// <summary>
/// Compares where types and members can be seen, as the compiler's "inconsistent accessibility" errors
/// (CS0050–CS0061) do, so generated public members never expose a type that is less visible than they are.
/// </summary>
internal static class EffectiveAccessibility
{
    /// <summary>Whether <paramref name="type"/> is visible everywhere <paramref name="member"/> is.</summary>
    public static bool IsAtLeastAsVisibleAs(ITypeSymbol type, ISymbol member)
    {
        var typeRank = Of(type);
        var memberRank = OfSymbol(member);
        return typeRank.Rank > memberRank.Rank || typeRank.Rank == memberRank.Rank && typeRank.Kind == memberRank.Kind;
    }

    private static (int Rank, Accessibility Kind) Of(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => Of(array.ElementType),
        IPointerTypeSymbol pointer => Of(pointer.PointedAtType),
        ITypeParameterSymbol => Public,
        INamedTypeSymbol named => Min(OfSymbol(named), named.TypeArguments),
        _ => Public,
    };

    private static (int Rank, Accessibility Kind) Min((int Rank, Accessibility Kind) start, System.Collections.Immutable.ImmutableArray<ITypeSymbol> arguments)
    {
        var result = start;
        foreach (var argument in arguments)
        {
            result = Lower(result, Of(argument));
        }

        return result;
    }

    private static (int Rank, Accessibility Kind) OfSymbol(ISymbol symbol)
    {
        var result = Public;
        for (var s = symbol; s is not null and not INamespaceSymbol; s = s.ContainingSymbol)
        {
            result = Lower(result, (RankOf(s.DeclaredAccessibility), s.DeclaredAccessibility));
        }

        return result;
    }

    private static (int Rank, Accessibility Kind) Public => (5, Accessibility.Public);

    // Protected and Internal share a rank but are incomparable: neither is visible everywhere the other is.
    private static (int Rank, Accessibility Kind) Lower((int Rank, Accessibility Kind) a, (int Rank, Accessibility Kind) b) =>
        a.Rank == b.Rank && a.Kind != b.Kind ? (a.Rank - 1, Accessibility.ProtectedAndInternal)
        : a.Rank <= b.Rank ? a : b;

    private static int RankOf(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Public => 5,
        Accessibility.ProtectedOrInternal => 4,
        Accessibility.Protected or Accessibility.Internal => 3,
        Accessibility.ProtectedAndInternal => 2,
        _ => 1,
    };
}
