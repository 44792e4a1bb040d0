using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using Weaver.Analyzers.Infrastructure;

namespace Weaver.Analyzers.Locks;

/// <summary>
/// WVR0100 (an await reached while a lock is held) and WVR0101 (a waiter woken up while a lock is held). Both read
/// the same <see cref="HeldLockDataflow"/>, run once per method body, lambda and local function.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HeldLockAnalyzer : WeaverAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(LockDiagnostics.AwaitWhileLockHeld, LockDiagnostics.WakeUpWhileLockHeld);

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, WeaverSymbols symbols)
    {
        var lockSymbols = new LockSymbols(context.Compilation, symbols);
        var calls = new LockCalls(lockSymbols, new LockScopes(context.Compilation, lockSymbols, context.Options.AnalyzerConfigOptionsProvider));
        var wakeUps = new WakeUpCalls(lockSymbols);
        context.RegisterOperationBlockAction(block =>
        {
            // The blocks are a member's executable parts (its body, initializers); a graph is built for the whole member.
            var analyzed = new HashSet<IOperation>();
            foreach (var operationBlock in block.OperationBlocks)
            {
                var root = operationBlock;
                while (root.Parent is not null)
                {
                    root = root.Parent;
                }

                if (analyzed.Add(root) && TakesAnyLock(root, calls) && CreateGraph(root) is { } graph && root.SemanticModel is { } model)
                {
                    var findings = new Findings();
                    Analyze(graph, calls, wakeUps, model, findings);
                    findings.Report(block.ReportDiagnostic);
                }
            }
        });
    }

    /// <summary>
    /// Whether anything in the member (its lambdas and local functions included) can take a lock; most members
    /// cannot, and they need no control-flow graph.
    /// </summary>
    private static bool TakesAnyLock(IOperation root, LockCalls calls)
    {
        foreach (var operation in root.DescendantsAndSelf())
        {
            if (operation is ILockOperation || calls.TryGetAcquisition(operation, out _))
            {
                return true;
            }
        }

        return false;
    }

    private static ControlFlowGraph? CreateGraph(IOperation root) => root switch
    {
        IMethodBodyOperation body => ControlFlowGraph.Create(body),
        IConstructorBodyOperation body => ControlFlowGraph.Create(body),
        IBlockOperation body => ControlFlowGraph.Create(body),
        IFieldInitializerOperation initializer => ControlFlowGraph.Create(initializer),
        IPropertyInitializerOperation initializer => ControlFlowGraph.Create(initializer),
        IParameterInitializerOperation initializer => ControlFlowGraph.Create(initializer),
        _ => null,
    };

    private static void Analyze(ControlFlowGraph graph, LockCalls calls, WakeUpCalls wakeUps, SemanticModel model, Findings findings)
    {
        var captures = new FlowCaptures(graph);
        var dataflow = HeldLockDataflow.Run(graph, calls, captures);
        dataflow.VisitOperations((operation, state) =>
        {
            if (state.IsEmpty)
            {
                return;
            }

            if (operation is IAwaitOperation && state.MostRecent(static _ => true) is { } held)
            {
                findings.Add(LockDiagnostics.AwaitWhileLockHeld, AwaitLocation(operation.Syntax), held);
            }
            else if (operation is IInvocationOperation invocation && wakeUps.IsWakeUp(invocation, captures, model, out var name))
            {
                // Releasing the semaphore that is itself the held lock is its release, not a wake-up under it.
                var released = invocation.Instance is { } instance ? captures.HandleOf(instance) : LockHandle.None;
                if (state.MostRecent(lockHeld => lockHeld.ReleasedByDispose || lockHeld.Kind != LockKind.Semaphore || !lockHeld.Handle.Equals(released)) is { } wokenUnder)
                {
                    findings.Add(LockDiagnostics.WakeUpWhileLockHeld, invocation.Syntax.GetLocation(), wokenUnder, name);
                }
            }
        });

        foreach (var block in graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                AnalyzeLambdas(graph, operation, calls, wakeUps, model, findings);
            }

            if (block.BranchValue is { } branchValue)
            {
                AnalyzeLambdas(graph, branchValue, calls, wakeUps, model, findings);
            }
        }

        foreach (var localFunction in graph.LocalFunctions)
        {
            Analyze(graph.GetLocalFunctionControlFlowGraph(localFunction), calls, wakeUps, model, findings);
        }
    }

    /// <summary>A lambda defined under a lock does not run there: it is analysed on its own, starting with nothing held.</summary>
    private static void AnalyzeLambdas(ControlFlowGraph graph, IOperation root, LockCalls calls, WakeUpCalls wakeUps, SemanticModel model, Findings findings)
    {
        foreach (var operation in root.DescendantsAndSelf())
        {
            if (operation is IFlowAnonymousFunctionOperation lambda)
            {
                Analyze(graph.GetAnonymousFunctionControlFlowGraph(lambda), calls, wakeUps, model, findings);
            }
        }
    }

    /// <summary>Where an await is reported: the <c>await</c> expression, or <c>await foreach</c> / <c>await using</c>.</summary>
    private static Location AwaitLocation(SyntaxNode syntax)
    {
        for (var node = syntax; node is not null and not MemberDeclarationSyntax; node = node.Parent)
        {
            switch (node)
            {
                case AwaitExpressionSyntax awaitExpression:
                    return awaitExpression.GetLocation();
                case CommonForEachStatementSyntax { AwaitKeyword.RawKind: not 0 } forEach:
                    return Location.Create(forEach.SyntaxTree, TextSpan.FromBounds(forEach.AwaitKeyword.SpanStart, forEach.ForEachKeyword.Span.End));
                case UsingStatementSyntax { AwaitKeyword.RawKind: not 0 } usingStatement:
                    return Location.Create(usingStatement.SyntaxTree, TextSpan.FromBounds(usingStatement.AwaitKeyword.SpanStart, usingStatement.UsingKeyword.Span.End));
                case LocalDeclarationStatementSyntax { AwaitKeyword.RawKind: not 0 } usingDeclaration:
                    return Location.Create(usingDeclaration.SyntaxTree, TextSpan.FromBounds(usingDeclaration.AwaitKeyword.SpanStart, usingDeclaration.UsingKeyword.Span.End));
            }
        }

        return syntax.GetLocation();
    }

    /// <summary>
    /// The diagnostics of one operation block, one per place: an <c>await foreach</c> awaits at several points, and
    /// its message names the latest lock held at any of them.
    /// </summary>
    private sealed class Findings
    {
        private readonly Dictionary<(string Id, TextSpan Span), (DiagnosticDescriptor Rule, Location Location, HeldLock Held, string? Call)> _byPlace = new();

        public void Add(DiagnosticDescriptor rule, Location location, HeldLock held, string? call = null)
        {
            var place = (rule.Id, location.SourceSpan);
            if (!_byPlace.TryGetValue(place, out var existing) || existing.Held.AcquiredAt.SpanStart < held.AcquiredAt.SpanStart)
            {
                _byPlace[place] = (rule, location, held, call);
            }
        }

        public void Report(Action<Diagnostic> report)
        {
            foreach (var (rule, location, held, call) in _byPlace.Values)
            {
                report(call is null
                    ? Diagnostic.Create(rule, location, held.Description, held.Line)
                    : Diagnostic.Create(rule, location, call, held.Description, held.Line));
            }
        }
    }
}
