using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Weaver.Analyzers.Infrastructure;

namespace Weaver.Analyzers.TerminalStates;

/// <summary>WVR0110: a switch over a machine's state enum that does not name every terminal state.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TerminalSwitchAnalyzer : WeaverAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(TerminalStateRules.SwitchMissesTerminalState);

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, WeaverSymbols symbols)
    {
        if (symbols.TerminalAttribute is null)
        {
            return;
        }

        context.RegisterOperationAction(
            operationContext => Analyze(operationContext, symbols),
            OperationKind.Switch,
            OperationKind.SwitchExpression);
    }

    private static void Analyze(OperationAnalysisContext context, WeaverSymbols symbols)
    {
        if (TerminalSwitch.Read(context.Operation, symbols) is not { MissingTerminalStates.IsEmpty: false } terminalSwitch)
        {
            return;
        }

        var switchKeyword = context.Operation.Syntax switch
        {
            SwitchStatementSyntax statement => statement.SwitchKeyword,
            SwitchExpressionSyntax expression => expression.SwitchKeyword,
            _ => default,
        };

        context.ReportDiagnostic(Diagnostic.Create(
            TerminalStateRules.SwitchMissesTerminalState,
            switchKeyword.GetLocation(),
            SymbolNames.Of(terminalSwitch.StateEnum),
            string.Join(", ", terminalSwitch.MissingTerminalStates.Select(state => state.Name))));
    }
}
