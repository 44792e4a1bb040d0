using System.Text;

namespace Weaver;

/// <summary>Type names as C# spells them (<c>System.Collections.Generic.List&lt;int&gt;</c>), for messages.</summary>
internal static class TypeNames
{
    public static string Display(Type type)
    {
        var text = new StringBuilder();
        Append(text, type);
        return text.ToString();
    }

    private static void Append(StringBuilder text, Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            Append(text, underlying);
            text.Append('?');
            return;
        }

        if (type.IsArray)
        {
            Append(text, type.GetElementType()!);
            text.Append('[').Append(',', type.GetArrayRank() - 1).Append(']');
            return;
        }

        if (Keyword(type) is { } keyword)
        {
            text.Append(keyword);
            return;
        }

        if (type.IsGenericParameter)
        {
            text.Append(type.Name);
            return;
        }

        AppendNamed(text, type.IsConstructedGenericType ? type.GetGenericTypeDefinition() : type, type.GetGenericArguments());
    }

    /// <summary>Appends <paramref name="definition"/> with its share of <paramref name="arguments"/> (a nested type's list repeats its outer types' ones first).</summary>
    private static void AppendNamed(StringBuilder text, Type definition, Type[] arguments)
    {
        var outerCount = 0;
        if (definition.IsNested)
        {
            var outer = definition.DeclaringType!;
            AppendNamed(text, outer, arguments);
            text.Append('.');
            outerCount = outer.GetGenericArguments().Length;
        }
        else if (!string.IsNullOrEmpty(definition.Namespace))
        {
            text.Append(definition.Namespace).Append('.');
        }

        var name = definition.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        text.Append(tick < 0 ? name : name[..tick]);

        var ownCount = Math.Min(definition.GetGenericArguments().Length, arguments.Length);
        if (ownCount > outerCount)
        {
            text.Append('<');
            for (var i = outerCount; i < ownCount; i++)
            {
                if (i > outerCount)
                {
                    text.Append(", ");
                }

                Append(text, arguments[i]);
            }

            text.Append('>');
        }
    }

    private static string? Keyword(Type type) => type.IsEnum ? null : Type.GetTypeCode(type) switch
    {
        TypeCode.Boolean => "bool",
        TypeCode.Byte => "byte",
        TypeCode.SByte => "sbyte",
        TypeCode.Char => "char",
        TypeCode.Int16 => "short",
        TypeCode.UInt16 => "ushort",
        TypeCode.Int32 => "int",
        TypeCode.UInt32 => "uint",
        TypeCode.Int64 => "long",
        TypeCode.UInt64 => "ulong",
        TypeCode.Single => "float",
        TypeCode.Double => "double",
        TypeCode.Decimal => "decimal",
        TypeCode.String => "string",
        _ when type == typeof(object) => "object",
        _ => null,
    };
}
