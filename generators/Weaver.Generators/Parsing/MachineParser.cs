using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Weaver.Generators.Diagnostics;
using Weaver.Generators.Model;

namespace Weaver.Generators.Parsing;

/// <summary>
/// Reads one <c>[TaskMachine]</c> declaration into a <see cref="MachineSpec"/>, or into the diagnostics that say
/// what is wrong with it. It never throws on bad input: half-typed code gives a diagnostic or, where the
/// compiler already reports an error, no output.
/// </summary>
internal static class MachineParser
{
    /// <summary>Parses the declaration <paramref name="context"/> targets, or returns <see langword="null"/> for a second <c>[TaskMachine]</c>.</summary>
    public static MachineParseResult? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type
            || context.TargetNode is not TypeDeclarationSyntax declaration
            || !IsFirstApplication(type, context.Attributes[0]))
        {
            // [TaskMachine] on two partial parts is already CS0579: one machine gives one file.
            return null;
        }

        var compilation = context.SemanticModel.Compilation;
        return Parse(type, declaration, context.Attributes[0], new KnownSymbols(compilation), compilation, cancellationToken);
    }

    /// <summary>Reads a declaration into a spec, or into the diagnostics that say what to fix.</summary>
    private static MachineParseResult Parse(
        INamedTypeSymbol type,
        TypeDeclarationSyntax declaration,
        AttributeData attribute,
        KnownSymbols symbols,
        Compilation compilation,
        CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        if (!SymbolNames.IsWellFormed(type))
        {
            return Result(null, diagnostics);
        }

        var machineName = type.Name;
        var machineLocation = declaration.Identifier.GetLocation();

        CheckKind(type, machineLocation, diagnostics);
        CheckPartial(declaration, machineName, diagnostics);
        if (compilation is CSharpCompilation { LanguageVersion: < LanguageVersion.CSharp11 })
        {
            diagnostics.Add(DiagnosticInfo.Create(DeclarationDiagnostics.LanguageVersionTooLow, machineLocation, machineName));
        }

        var stateEnum = ResolveStateEnum(type, attribute, machineName, machineLocation, diagnostics);
        if (stateEnum is null)
        {
            return Result(null, diagnostics);
        }

        var stateFields = EnumValues.Members(stateEnum);
        if (!SymbolNames.IsWellFormed(stateEnum) || stateFields.Any(f => !SymbolNames.IsIdentifier(f.Name)))
        {
            return Result(null, diagnostics);
        }

        var states = ReadStates(type, stateEnum, stateFields, symbols, machineName, machineLocation, diagnostics);
        if (states is null)
        {
            return Result(null, diagnostics);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var triggers = TriggerParser.ReadTriggers(type, stateFields, symbols, compilation, diagnostics);
        if (triggers is null)
        {
            // An error type in a trigger's signature: the compiler reports it; emitting would only add errors.
            return Result(null, diagnostics);
        }

        MemberConflicts.Check(type, triggers, symbols, machineLocation, diagnostics);

        if (diagnostics.Count > 0)
        {
            return Result(null, diagnostics);
        }

        var spec = new MachineSpec(
            Namespace: type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
            ContainingTypes: TypeDeclarations.ContainingTypes(type).Select(TypeDeclarations.Of).ToEquatableArray(),
            Type: TypeDeclarations.Of(type),
            DisplayName: machineName,
            FullName: type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            StateType: StateTypeReference(type, stateEnum),
            FullStateType: stateEnum.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            HasParameterlessConstructor: HasParameterlessConstructor(type),
            NeedsAutoLayout: type.IsValueType && !HasStructLayout(type),
            ResultTypeParameter: ResultTypeParameter(type),
            States: states.ToEquatableArray(),
            Triggers: triggers.ToEquatableArray(),
            HintName: TypeDeclarations.HintName(type, ".TaskMachine.g.cs"));
        return Result(spec, diagnostics);
    }

    private static MachineParseResult Result(MachineSpec? spec, List<DiagnosticInfo> diagnostics) =>
        new(spec, diagnostics.ToEquatableArray());

    /// <summary>Whether <paramref name="attribute"/> is the type's first <c>[TaskMachine]</c> (several are CS0579).</summary>
    private static bool IsFirstApplication(INamedTypeSymbol type, AttributeData attribute)
    {
        var first = type.GetAttributes().FirstOrDefault(a =>
            SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute.AttributeClass));
        return first is null || first.ApplicationSyntaxReference?.Span == attribute.ApplicationSyntaxReference?.Span
            && first.ApplicationSyntaxReference?.SyntaxTree == attribute.ApplicationSyntaxReference?.SyntaxTree;
    }

    private static void CheckKind(INamedTypeSymbol type, Location location, List<DiagnosticInfo> diagnostics)
    {
        string? problem = type switch
        {
            { IsStatic: true } => "a static class",
            { IsRefLikeType: true } => "a ref struct",
            _ when IsInFileLocalType(type) => "a file-local type, or nested in one (its generated part lives in another file)",
            { TypeKind: TypeKind.Struct } when HasFixedLayout(type) => "a struct with sequential or explicit [StructLayout] (its fields would be split across two partial declarations, which have no defined order)",
            { TypeKind: TypeKind.Struct, IsReadOnly: true } => "a readonly struct (its state must change)",
            { TypeKind: TypeKind.Class or TypeKind.Struct } => null,
            _ => "not a class or struct",
        };
        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DeclarationDiagnostics.MachineKindNotSupported, location, type.Name, problem));
        }
    }

    private static void CheckPartial(TypeDeclarationSyntax declaration, string machineName, List<DiagnosticInfo> diagnostics)
    {
        for (SyntaxNode? node = declaration; node is not null; node = node.Parent)
        {
            if (node is TypeDeclarationSyntax type && !type.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DeclarationDiagnostics.MachineNotPartial, type.Identifier.GetLocation(), type.Identifier.ValueText, machineName));
            }
        }
    }

    private static INamedTypeSymbol? ResolveStateEnum(
        INamedTypeSymbol type, AttributeData attribute, string machineName, Location location, List<DiagnosticInfo> diagnostics)
    {
        if (attribute.AttributeConstructor is null)
        {
            return null; // arguments no constructor takes: the compiler already reports them
        }

        if (attribute.ConstructorArguments.Length == 1)
        {
            var argument = attribute.ConstructorArguments[0];
            if (argument.Value is INamedTypeSymbol { TypeKind: TypeKind.Enum } named)
            {
                return named;
            }

            // An error type or a half-typed typeof(...) is already a compiler error; say nothing more.
            if (argument.Kind != TypedConstantKind.Error && argument.Value is not ITypeSymbol { TypeKind: TypeKind.Error })
            {
                var given = argument.Value is ITypeSymbol other ? $"'{other.ToDisplayString()}'" : "null";
                diagnostics.Add(DiagnosticInfo.Create(
                    DeclarationDiagnostics.StateEnumMissing,
                    AttributeLocation(attribute) ?? location,
                    machineName,
                    $"{given} given to [TaskMachine(typeof(...))] is not an enum; name an enum whose members are the states"));
            }

            return null;
        }

        var nested = type.GetTypeMembers("State").FirstOrDefault(t => t.TypeKind == TypeKind.Enum);
        if (nested is not null)
        {
            return nested;
        }

        diagnostics.Add(DiagnosticInfo.Create(
            DeclarationDiagnostics.StateEnumMissing,
            location,
            machineName,
            "declare a nested 'public enum State { [Initial] ..., [Terminal] ... }', or name an enum with [TaskMachine(typeof(MyStates))]"));
        return null;
    }

    private static List<StateSpec>? ReadStates(
        INamedTypeSymbol machine,
        INamedTypeSymbol stateEnum,
        List<IFieldSymbol> fields,
        KnownSymbols symbols,
        string machineName,
        Location machineLocation,
        List<DiagnosticInfo> diagnostics)
    {
        var enumName = stateEnum.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
        var enumLocation = stateEnum.Locations.FirstOrDefault(l => l.IsInSource) ?? machineLocation;

        var reported = diagnostics.Count;
        var problem = GenericContainerProblem(stateEnum) ?? VisibilityProblem(stateEnum, machine) ?? StateValueProblem(fields);
        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DeclarationDiagnostics.StateEnumInvalid, enumLocation, enumName, machineName, problem));
            return null;
        }

        var initial = fields.Where(f => symbols.HasAttribute(f, symbols.InitialAttribute)).ToList();
        if (initial.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DeclarationDiagnostics.NoInitialState, enumLocation, machineName, enumName));
        }
        else if (initial.Count > 1)
        {
            var names = string.Join(", ", initial.Select(f => f.Name));
            foreach (var extra in initial.Skip(1))
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DeclarationDiagnostics.SeveralInitialStates,
                    extra.Locations.FirstOrDefault() ?? enumLocation,
                    machineName,
                    initial.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    names));
            }
        }

        if (!fields.Any(f => symbols.HasAttribute(f, symbols.TerminalAttribute)))
        {
            diagnostics.Add(DiagnosticInfo.Create(DeclarationDiagnostics.NoTerminalState, enumLocation, machineName, enumName));
        }

        return diagnostics.Count > reported ? null : StateNames.Build(fields, symbols);
    }

    /// <summary>C# allows no attribute argument whose type involves a type parameter (CS0182), so [Transition] could never name these states.</summary>
    private static string? GenericContainerProblem(INamedTypeSymbol stateEnum)
    {
        for (var outer = stateEnum.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            if (outer.IsGenericType)
            {
                return $"it is nested in generic type '{outer.Name}', so attributes cannot name its members; declare the enum outside generic types and name it with [TaskMachine(typeof(...))]";
            }
        }

        return null;
    }

    /// <summary>The generated public members (Current, Match, ...) expose the enum wherever the machine is visible.</summary>
    private static string? VisibilityProblem(INamedTypeSymbol stateEnum, INamedTypeSymbol machine) =>
        EffectiveAccessibility.IsAtLeastAsVisibleAs(stateEnum, machine)
            ? null
            : $"it is less visible than the machine ({stateEnum.DeclaredAccessibility.ToString().ToLowerInvariant()}), but the generated members expose it; declare it 'public enum {stateEnum.Name}'";

    private static string? StateValueProblem(List<IFieldSymbol> fields)
    {
        if (fields.Count == 0)
        {
            return "it has no members; declare the states as its members";
        }

        var seen = new Dictionary<long, string>();
        foreach (var field in fields)
        {
            if (!EnumValues.TryGetInt64(field.ConstantValue, out var value) || value is < int.MinValue or > int.MaxValue)
            {
                return $"the value of '{field.Name}' does not fit in an int; give the states values between {int.MinValue} and {int.MaxValue}";
            }

            if (seen.TryGetValue(value, out var other))
            {
                return $"'{other}' and '{field.Name}' share the value {value}; give every state its own value";
            }

            seen.Add(value, field.Name);
        }

        return null;
    }

    private static Location? AttributeLocation(AttributeData attribute) =>
        attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation();

    private static string StateTypeReference(INamedTypeSymbol type, INamedTypeSymbol stateEnum) =>
        SymbolEqualityComparer.Default.Equals(stateEnum.ContainingType, type)
            ? SymbolNames.Escape(stateEnum.Name)
            : stateEnum.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    /// <summary>
    /// Whether <c>new T()</c> compiles cleanly inside the machine: a struct, or a non-abstract class with a
    /// parameterless constructor; never when that constructor is obsolete or required members would stay unset.
    /// </summary>
    private static bool HasParameterlessConstructor(INamedTypeSymbol type)
    {
        var constructor = type.InstanceConstructors.FirstOrDefault(c => c.Parameters.Length == 0);
        if (!type.IsValueType && (type.IsAbstract || constructor is null))
        {
            return false;
        }

        if (constructor is not null && HasAttribute(constructor, "System.ObsoleteAttribute"))
        {
            return false;
        }

        var setsRequiredMembers = constructor is not null
            && HasAttribute(constructor, "System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute");
        return setsRequiredMembers || !HasRequiredMembers(type);
    }

    private static bool HasRequiredMembers(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            if (t.GetMembers().Any(m => m is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true }))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsInFileLocalType(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            if (t.IsFileLocal)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A <c>[StructLayout]</c> other than Auto (its constructor takes a <c>LayoutKind</c> or a <c>short</c>).</summary>
    private static bool HasFixedLayout(INamedTypeSymbol type) =>
        type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.Runtime.InteropServices.StructLayoutAttribute"
            && a.ConstructorArguments.Length == 1
            && a.ConstructorArguments[0].Value is int or short
            && System.Convert.ToInt32(a.ConstructorArguments[0].Value, System.Globalization.CultureInfo.InvariantCulture)
                != (int)System.Runtime.InteropServices.LayoutKind.Auto);

    private static bool HasStructLayout(INamedTypeSymbol type) =>
        type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.Runtime.InteropServices.StructLayoutAttribute");

    private static bool HasAttribute(ISymbol symbol, string fullName) =>
        symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == fullName);

    /// <summary>A name for <c>Match</c>'s type parameter that no type parameter of the machine or its containers uses.</summary>
    private static string ResultTypeParameter(INamedTypeSymbol type)
    {
        var taken = new HashSet<string>();
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            taken.UnionWith(t.TypeParameters.Select(p => p.Name));
        }

        var name = "TResult";
        for (var i = 2; taken.Contains(name); i++)
        {
            name = "TResult" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }

}
