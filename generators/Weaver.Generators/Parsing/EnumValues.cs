using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Weaver.Generators.Parsing;

/// <summary>Reads enum members and their constant values, whatever the enum's underlying type.</summary>
internal static class EnumValues
{
    /// <summary>The members of <paramref name="enumType"/> in declaration order.</summary>
    public static List<IFieldSymbol> Members(INamedTypeSymbol enumType) =>
        enumType.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue).ToList();

    /// <summary>Widens a boxed integral constant to <see cref="long"/>; false when it does not fit.</summary>
    public static bool TryGetInt64(object? value, out long result)
    {
        switch (value)
        {
            case ulong u when u > long.MaxValue:
                result = 0;
                return false;
            case ulong u:
                result = (long)u;
                return true;
            case sbyte or byte or short or ushort or int or uint or long:
                result = System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
                return true;
            default:
                result = 0;
                return false;
        }
    }
}
