using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Weaver.Generators.Diagnostics;
using Weaver.Generators.Model;

namespace Weaver.Generators.Parsing;

/// <summary>Reads a machine's <c>[Transition]</c> methods into triggers, checking each one's shape and guard.</summary>
internal static class TriggerParser
{
    /// <summary>
    /// Returns the triggers in declaration order, or <see langword="null"/> when a signature holds an error type:
    /// the compiler already reports that, and code written against it would only add errors.
    /// </summary>
    public static List<TriggerSpec>? ReadTriggers(
        INamedTypeSymbol type,
        IReadOnlyList<IFieldSymbol> stateFields,
        KnownSymbols symbols,
        Compilation compilation,
        List<DiagnosticInfo> diagnostics)
    {
        var triggers = new List<TriggerSpec>();
        var stateIndex = StateIndexByValue(stateFields);
        var stateList = string.Join(", ", stateFields.Select(f => f.Name));
        var stateEnumName = stateFields[0].ContainingType.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
        var seenNames = new HashSet<string>();

        foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
        {
            var attributes = method.GetAttributes()
                .Where(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, symbols.TransitionAttribute))
                .ToList();
            if (attributes.Count == 0)
            {
                continue;
            }

            if (ContainsErrorType(method.ReturnType)
                || method.Parameters.Any(p => ContainsErrorType(p.Type) || !SymbolNames.IsIdentifier(p.Name)
                    || !EffectiveAccessibility.IsAtLeastAsVisibleAs(p.Type, method))
                || !SymbolNames.IsIdentifier(method.Name))
            {
                return null;
            }

            var location = method.Locations.FirstOrDefault();
            var shapeProblem = ShapeProblem(method);
            if (shapeProblem is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DeclarationDiagnostics.InvalidTransitionMethod, location, method.Name, shapeProblem));
                continue;
            }

            var name = method.Name.Substring("Try".Length);
            if (!seenNames.Add(name))
            {
                diagnostics.Add(DiagnosticInfo.Create(DeclarationDiagnostics.TriggerOverloaded, location, type.Name, method.Name));
                continue;
            }

            var transitions = new List<TransitionSpec>();
            var sources = new HashSet<int>();
            foreach (var attribute in attributes)
            {
                if (attribute.AttributeConstructor is null || attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error))
                {
                    return null;
                }

                var attributeLocation = attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? location;
                var from = StateOf(attribute.ConstructorArguments[0], stateFields[0].ContainingType, stateIndex);
                var to = StateOf(attribute.ConstructorArguments[1], stateFields[0].ContainingType, stateIndex);
                if (from is null || to is null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(
                        DeclarationDiagnostics.TransitionStateNotInEnum, attributeLocation, from is null ? "source" : "target", method.Name, stateEnumName, stateList));
                    continue;
                }

                if (!sources.Add(from.Value))
                {
                    diagnostics.Add(DiagnosticInfo.Create(
                        DeclarationDiagnostics.DuplicateTransition, attributeLocation, method.Name, stateFields[from.Value].Name));
                    continue;
                }

                var guardName = GuardName(attribute);
                var guardTakesPayload = false;
                if (guardName is not null
                    && !GuardResolver.TryResolve(type, method, guardName, compilation, attributeLocation, diagnostics, out guardTakesPayload))
                {
                    continue;
                }

                transitions.Add(new TransitionSpec(from.Value, to.Value, guardName, guardTakesPayload));
            }

            triggers.Add(new TriggerSpec(
                name,
                AccessibilityModifiers(method),
                method.Parameters.Select(ToParameterSpec).ToEquatableArray(),
                transitions.ToEquatableArray()));
        }

        return triggers;
    }

    private static string? ShapeProblem(IMethodSymbol method)
    {
        var name = method.Name;
        if (name.Length <= 3 || !name.StartsWith("Try", System.StringComparison.Ordinal) || char.IsLower(name[3]))
        {
            return "is not named 'Try' followed by the trigger's name";
        }

        if (method.ReturnType.SpecialType != SpecialType.System_Boolean)
        {
            return "does not return bool";
        }

        if (method.IsStatic)
        {
            return "is static";
        }

        if (method.IsGenericMethod)
        {
            return "is generic";
        }

        if (!method.IsPartialDefinition)
        {
            return IsPartialInSyntax(method) ? "has a body" : "is not partial";
        }

        if (method.PartialImplementationPart is not null)
        {
            return "already has a body";
        }

        if (AccessibilityModifiers(method).Length == 0)
        {
            return "has no accessibility modifier (a partial method that returns bool needs one, such as 'public')";
        }

        if (method.IsAbstract || method.IsVirtual || method.IsOverride || method.IsExtern)
        {
            return "is abstract, virtual, override or extern";
        }

        var byRef = method.Parameters.FirstOrDefault(p => p.RefKind != RefKind.None);
        return byRef is null ? null : $"takes '{byRef.Name}' by reference (ref, out or in)";
    }

    private static bool IsPartialInSyntax(IMethodSymbol method) =>
        method.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is MethodDeclarationSyntax m && m.Modifiers.Any(SyntaxKind.PartialKeyword));

    private static string AccessibilityModifiers(IMethodSymbol method)
    {
        var declaration = method.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<MethodDeclarationSyntax>().FirstOrDefault();
        if (declaration is null)
        {
            return string.Empty;
        }

        var keywords = declaration.Modifiers
            .Where(m => m.IsKind(SyntaxKind.PublicKeyword) || m.IsKind(SyntaxKind.PrivateKeyword)
                || m.IsKind(SyntaxKind.ProtectedKeyword) || m.IsKind(SyntaxKind.InternalKeyword))
            .Select(m => m.Text);
        return string.Join(" ", keywords);
    }

    private static ParameterSpec ToParameterSpec(IParameterSymbol parameter) =>
        new(
            parameter.Type.ToDisplayString(SymbolNames.TypeFormat),
            SymbolNames.Escape(parameter.Name),
            ParameterDefaults.Format(parameter),
            parameter.IsParams,
            CallerInfo(parameter));

    private static readonly string[] CallerInfoAttributes =
    {
        "CallerMemberNameAttribute", "CallerFilePathAttribute", "CallerLineNumberAttribute", "CallerArgumentExpressionAttribute",
    };

    private static string CallerInfo(IParameterSymbol parameter)
    {
        var parts = new List<string>();
        foreach (var attribute in parameter.GetAttributes())
        {
            if (attribute.AttributeClass is { ContainingNamespace: var ns } attributeClass
                && ns.ToDisplayString() == "System.Runtime.CompilerServices"
                && CallerInfoAttributes.Contains(attributeClass.Name))
            {
                var arguments = attribute.ConstructorArguments.Select(a => a.Value is string s ? SymbolDisplay.FormatLiteral(s, quote: true) : a.ToCSharpString());
                var argumentList = attribute.ConstructorArguments.Length == 0 ? string.Empty : $"({string.Join(", ", arguments)})";
                parts.Add($"[global::System.Runtime.CompilerServices.{attributeClass.Name.Substring(0, attributeClass.Name.Length - "Attribute".Length)}{argumentList}] ");
            }
        }

        return string.Concat(parts);
    }

    private static string? GuardName(AttributeData attribute)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "Guard")
            {
                return argument.Value.Value as string;
            }
        }

        return null;
    }

    private static Dictionary<long, int> StateIndexByValue(IReadOnlyList<IFieldSymbol> stateFields)
    {
        var map = new Dictionary<long, int>();
        for (var i = 0; i < stateFields.Count; i++)
        {
            if (EnumValues.TryGetInt64(stateFields[i].ConstantValue, out var value))
            {
                map[value] = i;
            }
        }

        return map;
    }

    private static int? StateOf(TypedConstant argument, INamedTypeSymbol stateEnum, Dictionary<long, int> stateIndex)
    {
        if (argument.Kind != TypedConstantKind.Enum
            || !SymbolEqualityComparer.Default.Equals(argument.Type, stateEnum)
            || !EnumValues.TryGetInt64(argument.Value, out var value))
        {
            return null;
        }

        return stateIndex.TryGetValue(value, out var index) ? index : null;
    }

    private static bool ContainsErrorType(ITypeSymbol type) => type switch
    {
        { TypeKind: TypeKind.Error } => true,
        IArrayTypeSymbol array => ContainsErrorType(array.ElementType),
        IPointerTypeSymbol pointer => ContainsErrorType(pointer.PointedAtType),
        INamedTypeSymbol named => named.TypeArguments.Any(ContainsErrorType),
        _ => false,
    };
}
