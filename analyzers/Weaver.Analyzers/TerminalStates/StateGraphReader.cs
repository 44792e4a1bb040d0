using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Weaver.Analyzers.Infrastructure;

namespace Weaver.Analyzers.TerminalStates;

/// <summary>
/// Reads a <c>[TaskMachine]</c> type's state graph from its symbols: the state enum (nested <c>State</c>, or the
/// <c>typeof</c> argument), the roles of its members, and each method's <c>[Transition(from, to)]</c>. What does not
/// resolve (a transition argument that is not a member of the state enum, say) is left out: the generator and the
/// compiler report it.
/// </summary>
internal static class StateGraphReader
{
    /// <summary>
    /// The machine's graph; <see langword="null"/> when the type is not a machine, its state enum cannot be found, or
    /// two states share a value (a state in a transition could then be either).
    /// </summary>
    public static StateGraph? Read(INamedTypeSymbol type, WeaverSymbols symbols)
    {
        var machineAttribute = type.GetAttributes().FirstOrDefault(attribute =>
            SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, symbols.TaskMachineAttribute));
        if (machineAttribute?.ApplicationSyntaxReference is not { } machineAttributeSyntax
            || StateEnumOf(type, machineAttribute) is not { } stateEnum)
        {
            return null;
        }

        var states = stateEnum.GetMembers().OfType<IFieldSymbol>().Where(field => field.HasConstantValue).ToImmutableArray();
        var statesByValue = new Dictionary<object, IFieldSymbol>();
        foreach (var state in states)
        {
            if (state.ConstantValue is null || statesByValue.ContainsKey(state.ConstantValue))
            {
                return null;
            }

            statesByValue.Add(state.ConstantValue, state);
        }

        return new StateGraph(
            type,
            Location.Create(machineAttributeSyntax.SyntaxTree, machineAttributeSyntax.Span),
            states,
            states.Where(state => symbols.HasAttribute(state, symbols.InitialAttribute)).ToImmutableArray(),
            StateEnums.TerminalStates(stateEnum, symbols),
            TransitionsOf(type, stateEnum, statesByValue, symbols));
    }

    private static INamedTypeSymbol? StateEnumOf(INamedTypeSymbol type, AttributeData machineAttribute)
    {
        var stateType = machineAttribute.ConstructorArguments.Length == 1
            ? machineAttribute.ConstructorArguments[0].Value
            : type.GetTypeMembers("State").FirstOrDefault();
        return stateType is INamedTypeSymbol { TypeKind: TypeKind.Enum } stateEnum ? stateEnum : null;
    }

    private static ImmutableArray<StateTransition> TransitionsOf(
        INamedTypeSymbol type, INamedTypeSymbol stateEnum, Dictionary<object, IFieldSymbol> statesByValue, WeaverSymbols symbols)
    {
        var transitions = ImmutableArray.CreateBuilder<StateTransition>();
        foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
        {
            foreach (var attribute in method.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, symbols.TransitionAttribute)
                    && attribute.ConstructorArguments.Length == 2
                    && StateOf(attribute.ConstructorArguments[0]) is { } from
                    && StateOf(attribute.ConstructorArguments[1]) is { } to
                    && attribute.ApplicationSyntaxReference is { } syntax)
                {
                    transitions.Add(new StateTransition(from, to, Location.Create(syntax.SyntaxTree, syntax.Span)));
                }
            }
        }

        return transitions.ToImmutable();

        IFieldSymbol? StateOf(TypedConstant argument) =>
            argument.Kind == TypedConstantKind.Enum
            && SymbolEqualityComparer.Default.Equals(argument.Type, stateEnum)
            && argument.Value is { } value
            && statesByValue.TryGetValue(value, out var state)
                ? state
                : null;
    }
}
