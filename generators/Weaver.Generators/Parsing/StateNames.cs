using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Weaver.Generators.Model;

namespace Weaver.Generators.Parsing;

/// <summary>Turns enum members into states with their source identifiers and <c>Match</c> parameter names.</summary>
internal static class StateNames
{
    public static List<StateSpec> Build(IReadOnlyList<IFieldSymbol> fields, KnownSymbols symbols)
    {
        var parameterNames = fields.Select(f => CamelCase(f.Name)).ToList();

        // Two states that differ only in their first letter's case would share a parameter name: use the names as declared.
        if (parameterNames.Distinct().Count() != parameterNames.Count)
        {
            parameterNames = fields.Select(f => f.Name).ToList();
        }

        return fields
            .Select((field, i) => new StateSpec(
                Identifier: SymbolNames.Escape(field.Name),
                Name: field.Name,
                ParameterName: SymbolNames.Escape(parameterNames[i]),
                IsInitial: symbols.HasAttribute(field, symbols.InitialAttribute),
                IsTerminal: symbols.HasAttribute(field, symbols.TerminalAttribute)))
            .ToList();
    }

    private static string CamelCase(string name) =>
        name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);
}
