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
/// Reads a handler's own <c>[OnOutcome(state)]</c> methods into <see cref="OutcomeSpec"/>s, grouped by terminal state,
/// or reports why one cannot be called (WVR0028) or names no terminal state (WVR0029).
/// </summary>
internal static class OutcomeParser
{
    public const string OnOutcomeAttributeName = "Weaver.OnOutcomeAttribute";
    public const string TaskStateName = "Weaver.TaskLifecycle+State";

    private static readonly SymbolDisplayFormat ParameterFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        parameterOptions: SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeParamsRefOut,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    /// <summary>
    /// The handler's outcomes, in the order <c>TaskLifecycle.State</c> declares its terminal states (empty when it has
    /// none, or when the runtime has no outcomes), and the warnings that calling its <c>[Obsolete]</c> outcome methods
    /// causes. <see langword="null"/> when an outcome method does not compile: the compiler's error stands, and the
    /// handler is not registered until it is fixed.
    /// </summary>
    public static (EquatableArray<OutcomeSpec> Outcomes, EquatableArray<string> ObsoleteWarnings)? Read(
        INamedTypeSymbol handler, Compilation compilation, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var symbols = new Symbols(compilation);
        if (symbols.OnOutcomeAttribute is null || symbols.TaskState is null)
        {
            return (EquatableArray<OutcomeSpec>.Empty, EquatableArray<string>.Empty);
        }

        var terminalStates = symbols.TaskState.GetMembers()
            .OfType<IFieldSymbol>()
            .Where(f => f.HasConstantValue && f.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, symbols.TerminalAttribute)))
            .ToList();
        var calls = terminalStates.ToDictionary(s => s.Name, _ => new List<OutcomeCallSpec>());
        var compiles = true;
        var obsoleteWarnings = new SortedSet<string>(System.StringComparer.Ordinal);

        foreach (var method in handler.GetMembers().OfType<IMethodSymbol>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var attributes = method.GetAttributes()
                .Where(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, symbols.OnOutcomeAttribute))
                .ToList();
            if (attributes.Count == 0)
            {
                continue;
            }

            var call = ReadCall(method, handler, symbols, diagnostics, ref compiles);
            if (call is not null && !ObsoleteTypes.IsObsoleteContext(handler))
            {
                obsoleteWarnings.UnionWith(ObsoleteTypes.OfMember(method).Warnings);
            }

            var states = new List<string>();
            foreach (var attribute in attributes)
            {
                var state = ReadState(method, handler, attribute, symbols.TaskState, terminalStates, diagnostics, ref compiles, cancellationToken);
                if (state is not null && !states.Contains(state))
                {
                    states.Add(state);
                }
            }

            if (call is not null)
            {
                foreach (var state in states)
                {
                    calls[state].Add(call);
                }
            }
        }

        if (!compiles)
        {
            return null;
        }

        var outcomes = terminalStates
            .Where(s => calls[s.Name].Count > 0)
            .Select(s => new OutcomeSpec(s.Name, calls[s.Name].ToEquatableArray()))
            .ToEquatableArray();
        return (outcomes, obsoleteWarnings.ToEquatableArray());
    }

    /// <summary>How the generated code calls <paramref name="method"/>, or <see langword="null"/> when it cannot.</summary>
    private static OutcomeCallSpec? ReadCall(
        IMethodSymbol method, INamedTypeSymbol handler, Symbols symbols, List<DiagnosticInfo> diagnostics, ref bool compiles)
    {
        if (method.ReturnType.TypeKind == TypeKind.Error || method.Parameters.Any(p => p.Type.TypeKind == TypeKind.Error))
        {
            compiles = false; // a type that does not resolve: the compiler already reports it
            return null;
        }

        var problem = ShapeProblem(method, symbols)
            ?? (!ObsoleteTypes.IsObsoleteContext(handler) && ObsoleteTypes.OfMember(method).IsError
                ? "is [Obsolete] as an error, so the generated registration could not call it"
                : null);
        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                HandlerDiagnostics.OutcomeMethodInvalid, method.Locations.FirstOrDefault(), method.Name, handler.Name, problem));
            return null;
        }

        var isAwaited = !method.ReturnsVoid;
        return new OutcomeCallSpec(SymbolNames.Escape(method.Name), method.Parameters.Length == 2, isAwaited);
    }

    private static string? ShapeProblem(IMethodSymbol method, Symbols symbols)
    {
        if (method.MethodKind != MethodKind.Ordinary)
        {
            return $"is not an ordinary method (it is {Describe(method.MethodKind)}); the generated registration calls it by name";
        }

        if (method.IsStatic)
        {
            return "is static (it runs on the handler Weaver creates for the ended task)";
        }

        if (method.IsGenericMethod)
        {
            return "is generic";
        }

        var parameters = method.Parameters;
        var takesSnapshot = parameters.Length is 1 or 2
            && IsPlain(parameters[0], symbols.TaskSnapshot)
            && (parameters.Length == 1 || IsPlain(parameters[1], symbols.CancellationToken));
        if (!takesSnapshot)
        {
            var list = string.Join(", ", parameters.Select(p => p.ToDisplayString(ParameterFormat)));
            return $"takes ({list})";
        }

        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            return "returns by reference";
        }

        if (method.ReturnsVoid)
        {
            return method.IsAsync ? "is 'async void' (Weaver could neither await it nor see it fail; return Task or ValueTask)" : null;
        }

        var returnType = method.ReturnType.OriginalDefinition;
        return SymbolEqualityComparer.Default.Equals(returnType, symbols.Task) || SymbolEqualityComparer.Default.Equals(returnType, symbols.ValueTask)
            ? null
            : $"returns '{method.ReturnType.ToDisplayString()}'";
    }

    private static bool IsPlain(IParameterSymbol parameter, INamedTypeSymbol? type) =>
        parameter.RefKind == RefKind.None
        && !parameter.IsParams
        && type is not null
        && SymbolEqualityComparer.Default.Equals(parameter.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), type);

    private static string Describe(MethodKind kind) => kind switch
    {
        MethodKind.ExplicitInterfaceImplementation => "an explicit interface implementation",
        MethodKind.UserDefinedOperator or MethodKind.Conversion => "an operator",
        MethodKind.Constructor or MethodKind.StaticConstructor => "a constructor",
        MethodKind.Destructor => "a finalizer",
        _ => "an accessor",
    };

    /// <summary>The terminal state <paramref name="attribute"/> names, or <see langword="null"/> after reporting why it names none.</summary>
    private static string? ReadState(
        IMethodSymbol method,
        INamedTypeSymbol handler,
        AttributeData attribute,
        INamedTypeSymbol taskState,
        List<IFieldSymbol> terminalStates,
        List<DiagnosticInfo> diagnostics,
        ref bool compiles,
        CancellationToken cancellationToken)
    {
        if (attribute.AttributeConstructor is null
            || attribute.ConstructorArguments.Length != 1
            || attribute.ConstructorArguments[0].Kind == TypedConstantKind.Error)
        {
            compiles = false; // arguments that do not compile, or that no constructor takes: the compiler reports them
            return null;
        }

        var argument = attribute.ConstructorArguments[0];
        string named;
        string problem;
        if (argument.Kind == TypedConstantKind.Enum && argument.Type is INamedTypeSymbol enumType)
        {
            var member = enumType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, argument.Value));
            named = member is null ? $"'({enumType.ToDisplayString()}){argument.Value}'" : $"'{enumType.ToDisplayString()}.{member.Name}'";
            if (!SymbolEqualityComparer.Default.Equals(enumType, taskState))
            {
                problem = $"is a value of '{enumType.ToDisplayString()}', not a task's state";
            }
            else if (member is null)
            {
                problem = "is not a member of TaskLifecycle.State";
            }
            else if (terminalStates.Any(s => s.Name == member.Name))
            {
                return member.Name;
            }
            else
            {
                problem = "is not a terminal state (a task goes on from it)";
            }
        }
        else
        {
            named = argument.IsNull ? "null" : $"'{argument.ToCSharpString()}'";
            problem = "is not a TaskLifecycle.State";
        }

        var location = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax syntax
            && syntax.ArgumentList?.Arguments.FirstOrDefault()?.Expression is { } expression
                ? expression.GetLocation()
                : method.Locations.FirstOrDefault();
        var expected = string.Join(", ", terminalStates.Select(s => s.Name));
        diagnostics.Add(DiagnosticInfo.Create(
            HandlerDiagnostics.OutcomeStateInvalid, location, method.Name, handler.Name, named, problem, expected));
        return null;
    }

    /// <summary>The types an outcome method involves, resolved once per handler.</summary>
    private sealed class Symbols(Compilation compilation)
    {
        public INamedTypeSymbol? OnOutcomeAttribute { get; } = compilation.GetTypeByMetadataName(OnOutcomeAttributeName);

        public INamedTypeSymbol? TaskState { get; } = compilation.GetTypeByMetadataName(TaskStateName);

        public INamedTypeSymbol? TerminalAttribute { get; } = compilation.GetTypeByMetadataName("Weaver.TerminalAttribute");

        public INamedTypeSymbol? TaskSnapshot { get; } = compilation.GetTypeByMetadataName("Weaver.TaskSnapshot");

        public INamedTypeSymbol? CancellationToken { get; } = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");

        public INamedTypeSymbol? Task { get; } = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");

        public INamedTypeSymbol? ValueTask { get; } = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
    }
}
