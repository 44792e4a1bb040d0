using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Weaver.Analyzers.Infrastructure;

namespace Weaver.Analyzers.Usage;

/// <summary>
/// WVR0120: a call whose <see langword="bool"/> says whether anything happened, used as a statement: a machine's
/// <c>Try</c> trigger, or <c>TryClaim</c>/<c>TryRenew</c>/<c>TryRelease</c>/<c>TryExpire</c> of a claim table.
/// An explicit discard (<c>_ = machine.TryStart();</c>) says the caller means it and is not reported.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ResultDiscardedAnalyzer : WeaverAnalyzer
{
    private static readonly ImmutableHashSet<string> ClaimMethods =
        ImmutableHashSet.Create("TryClaim", "TryRenew", "TryRelease", "TryExpire");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(UsageDiagnostics.ResultDiscarded);

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, WeaverSymbols symbols) =>
        context.RegisterOperationAction(
            operation => AnalyzeStatement(operation, symbols),
            OperationKind.ExpressionStatement);

    private static void AnalyzeStatement(OperationAnalysisContext context, WeaverSymbols symbols)
    {
        var statement = (IExpressionStatementOperation)context.Operation;
        var invocation = statement.Operation switch
        {
            IInvocationOperation call => call,
            IConditionalAccessOperation { WhenNotNull: IInvocationOperation call } => call,
            _ => null,
        };

        if (invocation is null || invocation.TargetMethod.ReturnType.SpecialType != SpecialType.System_Boolean)
        {
            return;
        }

        var method = invocation.TargetMethod;
        string? failsWhen = null;
        if (IsTrigger(method, symbols))
        {
            failsWhen = $"the current state does not permit '{method.Name}' or its guard refuses (nothing changed)";
        }
        else if (ClaimMethods.Contains(method.Name) && IsClaimTable(method.ContainingType, symbols))
        {
            failsWhen = "the key is held by another owner or the lease is no longer current (nothing changed)";
        }

        if (failsWhen is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                UsageDiagnostics.ResultDiscarded,
                invocation.Syntax.GetLocation(),
                method.ContainingType.Name + "." + method.Name,
                failsWhen));
        }
    }

    private static bool IsTrigger(IMethodSymbol method, WeaverSymbols symbols)
    {
        var declaration = method.PartialDefinitionPart ?? method;
        return symbols.HasAttribute(declaration, symbols.TransitionAttribute)
            && symbols.HasAttribute(declaration.ContainingType, symbols.TaskMachineAttribute);
    }

    private static bool IsClaimTable(INamedTypeSymbol? type, WeaverSymbols symbols)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, symbols.ClaimTable))
            {
                return true;
            }
        }

        return false;
    }
}
