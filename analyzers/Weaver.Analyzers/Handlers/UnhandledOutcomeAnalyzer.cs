using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Weaver.Analyzers.Infrastructure;

namespace Weaver.Analyzers.Handlers;

/// <summary>
/// WVR0114: a <c>[TaskHandler]</c> class with <c>[OnOutcome]</c> methods for some <c>[Terminal]</c> states of a state
/// enum but not for all of them. A handler without outcome methods is not reported: outcomes are opt-in.
/// </summary>
/// <remarks>
/// The check is over the state enum the attributes name, not over <c>TaskLifecycle.State</c> by name, so that any
/// machine's outcomes can be checked the same way.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnhandledOutcomeAnalyzer : WeaverAnalyzer
{
    private static readonly SymbolDisplayFormat EnumFormat = new(typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(OutcomeDiagnostics.UnhandledOutcome);

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, WeaverSymbols symbols)
    {
        if (OutcomeSymbols.TryCreate(context.Compilation, symbols.TaskHandlerAttribute) is not { } outcomes)
        {
            return;
        }

        context.RegisterSymbolAction(symbol => Analyze(symbol, symbols, outcomes), SymbolKind.NamedType);
    }

    private static void Analyze(SymbolAnalysisContext context, WeaverSymbols symbols, OutcomeSymbols outcomes)
    {
        if (context.Symbol is not INamedTypeSymbol { TypeKind: TypeKind.Class } handler
            || !symbols.HasAttribute(handler, outcomes.TaskHandlerAttribute))
        {
            return;
        }

        // The states each state enum's outcome methods name, and the first such method, whose declaration is reported.
        var handled = new Dictionary<INamedTypeSymbol, HashSet<object>>(SymbolEqualityComparer.Default);
        IMethodSymbol? firstOutcome = null;
        foreach (var method in handler.GetMembers().OfType<IMethodSymbol>())
        {
            foreach (var attribute in method.GetAttributes())
            {
                if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, outcomes.OnOutcomeAttribute)
                    || attribute.ConstructorArguments.Length != 1
                    || attribute.ConstructorArguments[0] is not { Kind: TypedConstantKind.Enum, Type: INamedTypeSymbol stateEnum, Value: { } value })
                {
                    continue;
                }

                if (!handled.TryGetValue(stateEnum, out var states))
                {
                    handled.Add(stateEnum, states = new HashSet<object>());
                }

                states.Add(value);
                firstOutcome ??= method;
            }
        }

        foreach (var pair in handled)
        {
            var terminals = StateEnums.TerminalStates(pair.Key, symbols);
            var handledTerminals = terminals.Where(t => pair.Value.Contains(t.ConstantValue!)).Select(t => t.Name).ToList();
            var missing = terminals.Where(t => !pair.Value.Contains(t.ConstantValue!)).Select(t => t.Name).ToList();

            // No terminal state handled at all is the generator's WVR0029, on each attribute; not this rule's business.
            if (handledTerminals.Count == 0 || missing.Count == 0)
            {
                continue;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                OutcomeDiagnostics.UnhandledOutcome,
                IdentifierLocation(handler, firstOutcome, context.CancellationToken),
                handler.Name,
                string.Join(", ", handledTerminals),
                pair.Key.ToDisplayString(EnumFormat),
                string.Join(", ", missing)));
        }
    }

    /// <summary>
    /// The handler's name in the declaration that holds its first outcome method (a handler has several declarations
    /// once the generator adds its part), or its first declaration.
    /// </summary>
    private static Location? IdentifierLocation(INamedTypeSymbol handler, IMethodSymbol? firstOutcome, System.Threading.CancellationToken cancellationToken)
    {
        var declaration = firstOutcome?.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken).Parent as TypeDeclarationSyntax
            ?? handler.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as TypeDeclarationSyntax;
        return declaration?.Identifier.GetLocation() ?? handler.Locations.FirstOrDefault();
    }
}
