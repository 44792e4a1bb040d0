using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Weaver.Generators.Parsing;

/// <summary>
/// Writes a parameter's default value as C# source, for the generated <c>CanX</c> and <c>X</c> methods that
/// repeat a trigger's parameters. (The partial <c>TryX</c> body must not repeat it: that is warning CS1066.)
/// </summary>
internal static class ParameterDefaults
{
    public static string? Format(IParameterSymbol parameter)
    {
        if (!parameter.HasExplicitDefaultValue)
        {
            return null;
        }

        var value = parameter.ExplicitDefaultValue;
        var type = parameter.Type;
        if (value is null)
        {
            return "default";
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return $"({type.ToDisplayString(SymbolNames.TypeFormat)})({Literal(value)})";
        }

        return Literal(value);
    }

    private static string Literal(object value) => value switch
    {
        string s => SymbolDisplay.FormatLiteral(s, quote: true),
        char c => SymbolDisplay.FormatLiteral(c, quote: true),
        bool b => b ? "true" : "false",
        float f when float.IsNaN(f) => "float.NaN",
        float f when float.IsPositiveInfinity(f) => "float.PositiveInfinity",
        float f when float.IsNegativeInfinity(f) => "float.NegativeInfinity",
        float f => f.ToString("R", CultureInfo.InvariantCulture) + "F",
        double d when double.IsNaN(d) => "double.NaN",
        double d when double.IsPositiveInfinity(d) => "double.PositiveInfinity",
        double d when double.IsNegativeInfinity(d) => "double.NegativeInfinity",
        double d => d.ToString("R", CultureInfo.InvariantCulture) + "D",
        decimal m => m.ToString(CultureInfo.InvariantCulture) + "M",
        ulong u => u.ToString(CultureInfo.InvariantCulture) + "UL",
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        uint u => u.ToString(CultureInfo.InvariantCulture) + "U",
        System.IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => "default",
    };
}
