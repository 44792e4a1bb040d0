using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using Weaver.Analyzers.TerminalStates;

namespace Weaver.Analyzers.CodeFixes.TerminalStates;

/// <summary>
/// Writes a case for each terminal state a switch misses, before its first catch-all arm (or at its end). Each new
/// case throws <see cref="System.NotImplementedException"/>, as the arms Roslyn's "Add missing cases" writes into a
/// switch expression do; in a statement too (where Roslyn writes <c>break;</c>), so that a terminal state nobody has
/// handled yet fails loudly instead of passing as handled.
/// </summary>
internal static class MissingTerminalCases
{
    /// <summary>
    /// Adds the cases to <paramref name="switchNode"/> (a switch statement or expression, possibly already edited
    /// inside, which is why the missing states come from <paramref name="terminalSwitch"/>, read before any edit).
    /// </summary>
    public static SyntaxNode AddTo(SyntaxNode switchNode, TerminalSwitch terminalSwitch)
    {
        var states = terminalSwitch.MissingTerminalStates.Select(StateName).ToList();
        var notImplemented = SyntaxFactory.ObjectCreationExpression(
            SyntaxFactory.ParseTypeName("global::System.NotImplementedException").WithAdditionalAnnotations(Simplifier.Annotation),
            SyntaxFactory.ArgumentList(),
            initializer: null);

        return switchNode switch
        {
            SwitchStatementSyntax statement => statement.WithSections(statement.Sections.InsertRange(
                terminalSwitch.InsertionIndex,
                states.Select(state => SyntaxFactory.SwitchSection(
                        SyntaxFactory.SingletonList<SwitchLabelSyntax>(SyntaxFactory.CaseSwitchLabel(state)),
                        SyntaxFactory.SingletonList<StatementSyntax>(SyntaxFactory.ThrowStatement(notImplemented)))
                    .WithAdditionalAnnotations(Formatter.Annotation)))),
            SwitchExpressionSyntax expression => expression.WithArms(expression.Arms.InsertRange(
                terminalSwitch.InsertionIndex,
                states.Select(state => SyntaxFactory.SwitchExpressionArm(
                        SyntaxFactory.ConstantPattern(state),
                        SyntaxFactory.ThrowExpression(notImplemented))
                    .WithAdditionalAnnotations(Formatter.Annotation)))),
            _ => switchNode,
        };
    }

    /// <summary>
    /// <c>ReviewTask.State.Dead</c>, written fully qualified and simplified to what the place can name. Parsed rather
    /// than generated so that it is the member access a user would type, not a qualified type name.
    /// </summary>
    private static ExpressionSyntax StateName(IFieldSymbol state) =>
        SyntaxFactory.ParseExpression(
                $"{state.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}."
                + state.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
            .WithAdditionalAnnotations(Simplifier.Annotation);
}
