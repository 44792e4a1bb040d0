using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Weaver.Analyzers.Infrastructure;

namespace Weaver.Analyzers.TerminalStates;

/// <summary>
/// WVR0111–WVR0113: checks a machine's state graph. A state is reported on its enum member (on the machine's
/// <c>[TaskMachine]</c> when the enum comes from metadata); a transition on its <c>[Transition]</c>. A rule whose input
/// is broken (no terminal state, not exactly one initial state) is skipped: the generator reports those.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StateGraphAnalyzer : WeaverAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        TerminalStateRules.StateCannotReachTerminal,
        TerminalStateRules.StateUnreachableFromInitial,
        TerminalStateRules.TransitionLeavesTerminalState);

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, WeaverSymbols symbols) =>
        context.RegisterSymbolAction(symbolContext => Analyze(symbolContext, symbols), SymbolKind.NamedType);

    private static void Analyze(SymbolAnalysisContext context, WeaverSymbols symbols)
    {
        if (StateGraphReader.Read((INamedTypeSymbol)context.Symbol, symbols) is not { } graph)
        {
            return;
        }

        ReportTransitionsOutOfTerminalStates(context, graph);
        ReportStatesThatCannotFinish(context, graph);
        ReportStatesUnreachableFromInitial(context, graph);
    }

    private static void ReportTransitionsOutOfTerminalStates(SymbolAnalysisContext context, StateGraph graph)
    {
        foreach (var transition in graph.Transitions.Where(transition => graph.IsTerminal(transition.From)))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                TerminalStateRules.TransitionLeavesTerminalState,
                transition.AttributeLocation,
                SymbolNames.Of(graph.Machine),
                transition.From.Name,
                transition.To.Name));
        }
    }

    private static void ReportStatesThatCannotFinish(SymbolAnalysisContext context, StateGraph graph)
    {
        if (graph.TerminalStates.IsEmpty)
        {
            return;
        }

        var canFinish = graph.StatesThatCanReach(graph.TerminalStates);
        var terminalNames = string.Join(", ", graph.TerminalStates.Select(state => state.Name));
        foreach (var state in graph.States.Where(state => !canFinish.Contains(state)))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                TerminalStateRules.StateCannotReachTerminal,
                LocationOf(state, graph),
                state.Name,
                SymbolNames.Of(graph.Machine),
                terminalNames));
        }
    }

    private static void ReportStatesUnreachableFromInitial(SymbolAnalysisContext context, StateGraph graph)
    {
        if (graph.InitialStates.Length != 1)
        {
            return;
        }

        var initial = graph.InitialStates[0];
        var reachable = graph.StatesReachableFrom(initial);
        foreach (var state in graph.States.Where(state => !reachable.Contains(state)))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                TerminalStateRules.StateUnreachableFromInitial,
                LocationOf(state, graph),
                state.Name,
                SymbolNames.Of(graph.Machine),
                initial.Name));
        }
    }

    private static Location LocationOf(IFieldSymbol state, StateGraph graph) =>
        state.Locations.FirstOrDefault(location => location.IsInSource) ?? graph.MachineAttributeLocation;
}
