using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Weaver.Generators.Diagnostics;

namespace Weaver.Generators.Parsing;

/// <summary>
/// Finds the method a <c>Guard = nameof(M)</c> names: a non-generic <c>bool</c> method, accessible inside the
/// machine, taking no parameters or exactly the trigger's parameters.
/// </summary>
internal static class GuardResolver
{
    public static bool TryResolve(
        INamedTypeSymbol machine,
        IMethodSymbol trigger,
        string guardName,
        Compilation compilation,
        Location? location,
        List<DiagnosticInfo> diagnostics,
        out bool takesPayload)
    {
        takesPayload = false;
        var candidates = MembersNamed(machine, guardName).ToList();
        var payload = string.Join(", ", trigger.Parameters.Select(p => p.Type.ToDisplayString() + " " + p.Name));
        if (candidates.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DeclarationDiagnostics.GuardNotFound, location, guardName, trigger.Name, machine.Name, payload));
            return false;
        }

        foreach (var candidate in candidates.OfType<IMethodSymbol>())
        {
            if (candidate.ReturnType.SpecialType != SpecialType.System_Boolean
                || candidate.IsGenericMethod
                || candidate.MethodKind != MethodKind.Ordinary
                || !compilation.IsSymbolAccessibleWithin(candidate, machine))
            {
                continue;
            }

            if (candidate.Parameters.Length == 0)
            {
                takesPayload = false;
                return true;
            }

            if (TakesSameParameters(candidate, trigger))
            {
                takesPayload = true;
                return true;
            }
        }

        diagnostics.Add(DiagnosticInfo.Create(
            DeclarationDiagnostics.GuardWrongSignature, location, guardName, trigger.Name, payload.Length == 0 ? "none" : payload));
        return false;
    }

    private static IEnumerable<ISymbol> MembersNamed(INamedTypeSymbol machine, string name)
    {
        for (INamedTypeSymbol? type = machine; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers(name))
            {
                yield return member;
            }
        }
    }

    private static bool TakesSameParameters(IMethodSymbol guard, IMethodSymbol trigger) =>
        guard.Parameters.Length == trigger.Parameters.Length
        && guard.Parameters.Zip(trigger.Parameters, (g, t) =>
            g.RefKind == RefKind.None && SymbolEqualityComparer.Default.Equals(g.Type, t.Type)).All(same => same);
}
