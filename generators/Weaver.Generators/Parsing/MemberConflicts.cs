using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Weaver.Generators.Diagnostics;
using Weaver.Generators.Model;

namespace Weaver.Generators.Parsing;

/// <summary>
/// Finds user members whose names the generated code needs, so a clash is a clear diagnostic instead of a
/// compiler error inside generated code.
/// </summary>
internal static class MemberConflicts
{
    /// <summary>Members every machine gets.</summary>
    private static readonly string[] FixedNames =
    {
        "Current", "IsTerminal", "IsTerminalState", "InitialState", "Transitions", "ToMermaid", "Restore", "Match", "Switch",
        GeneratedNames.ClaimTable,
        GeneratedNames.StateField, GeneratedNames.Encode, GeneratedNames.Decode, GeneratedNames.StateName,
        GeneratedNames.PermittedTriggers, GeneratedNames.InvalidTransition, GeneratedNames.UnknownState,
    };

    public static void Check(
        INamedTypeSymbol type, IReadOnlyList<TriggerSpec> triggers, KnownSymbols symbols, Location location, List<DiagnosticInfo> diagnostics)
    {
        // A base machine's generated members would all be hidden (CS0108); say so once instead of listing them.
        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            if (symbols.HasAttribute(baseType.OriginalDefinition, symbols.TaskMachineAttribute))
            {
                diagnostics.Add(DiagnosticInfo.Create(DeclarationDiagnostics.DerivesFromMachine, location, type.Name, baseType.Name));
                return;
            }
        }

        var generated = FixedNames.Concat(triggers.SelectMany(t => new[] { t.Name, "Can" + t.Name }));
        var hooks = triggers.Select(t => "On" + t.Name).Concat(new[] { GeneratedNames.TransitionedHook });

        foreach (var name in generated.Distinct())
        {
            if (name == type.Name || UserMembers(type, name).Any())
            {
                diagnostics.Add(DiagnosticInfo.Create(DeclarationDiagnostics.GeneratedMemberConflict, location, type.Name, name));
            }
        }

        // A hook may be implemented by the user, as a partial method with a body; anything else by that name clashes.
        foreach (var name in hooks.Distinct())
        {
            if (name == type.Name || UserMembers(type, name).Any(m => !IsPartialImplementation(m)))
            {
                diagnostics.Add(DiagnosticInfo.Create(DeclarationDiagnostics.GeneratedMemberConflict, location, type.Name, name));
            }
        }
    }

    private static IEnumerable<ISymbol> UserMembers(INamedTypeSymbol type, string name)
    {
        foreach (var member in type.GetMembers(name))
        {
            yield return member;
        }

        for (var baseType = type.BaseType; baseType is not null && baseType.SpecialType != SpecialType.System_Object; baseType = baseType.BaseType)
        {
            foreach (var member in baseType.GetMembers(name).Where(m => m.DeclaredAccessibility != Accessibility.Private))
            {
                yield return member;
            }
        }
    }

    private static bool IsPartialImplementation(ISymbol member) =>
        member is IMethodSymbol method
        && method.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is MethodDeclarationSyntax m
            && m.Modifiers.Any(SyntaxKind.PartialKeyword)
            && (m.Body is not null || m.ExpressionBody is not null));
}
