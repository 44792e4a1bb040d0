using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Weaver.Analyzers.Infrastructure;

namespace Weaver.Analyzers.Usage;

/// <summary>
/// WVR0121: <c>.Result</c>, <c>.Wait()</c>, <c>Task.WaitAll</c>/<c>WaitAny</c>, <c>GetAwaiter().GetResult()</c> or
/// <c>Thread.Sleep</c> in the code of a class that implements <c>ITaskHandler&lt;TInput, TResult&gt;</c>, lambdas and
/// local functions included.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingCallInHandlerAnalyzer : WeaverAnalyzer
{
    private const string AwaitInstead = "await it instead";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(UsageDiagnostics.BlockingCallInHandler);

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, WeaverSymbols symbols)
    {
        if (symbols.TaskHandlerInterface is null)
        {
            return;
        }

        var blocking = new BlockingMembers(context.Compilation);
        context.RegisterOperationAction(
            operation => Analyze(operation, symbols, blocking),
            OperationKind.Invocation,
            OperationKind.PropertyReference);
    }

    private static void Analyze(OperationAnalysisContext context, WeaverSymbols symbols, BlockingMembers blocking)
    {
        var found = context.Operation switch
        {
            IInvocationOperation invocation => blocking.Describe(invocation.TargetMethod),
            IPropertyReferenceOperation property => blocking.Describe(property.Property),
            _ => null,
        };

        if (found is not { } call || HandlerOf(context.ContainingSymbol, symbols) is not { } handler)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            UsageDiagnostics.BlockingCallInHandler,
            context.Operation.Syntax.GetLocation(),
            call.Name,
            handler.Name,
            call.Advice));
    }

    private static INamedTypeSymbol? HandlerOf(ISymbol member, WeaverSymbols symbols)
    {
        var type = member as INamedTypeSymbol ?? member.ContainingType;
        if (type is null)
        {
            return null;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, symbols.TaskHandlerInterface))
            {
                return type;
            }
        }

        return null;
    }

    /// <summary>The framework members that block the calling thread, resolved once per compilation.</summary>
    private sealed class BlockingMembers(Compilation compilation)
    {
        private readonly INamedTypeSymbol? _task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        private readonly INamedTypeSymbol? _taskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        private readonly INamedTypeSymbol? _valueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        private readonly INamedTypeSymbol? _thread = compilation.GetTypeByMetadataName("System.Threading.Thread");

        public (string Name, string Advice)? Describe(ISymbol member)
        {
            var type = member.ContainingType?.OriginalDefinition;
            if (type is null)
            {
                return null;
            }

            return member switch
            {
                IPropertySymbol { Name: "Result" } when Is(type, _taskOfT) || Is(type, _valueTaskOfT) =>
                    (".Result", AwaitInstead),
                IMethodSymbol { Name: "Wait" } when Is(type, _task) =>
                    (".Wait()", AwaitInstead),
                IMethodSymbol { Name: "WaitAll" or "WaitAny", IsStatic: true } when Is(type, _task) =>
                    ($"Task.{member.Name}", $"await Task.{(member.Name == "WaitAll" ? "WhenAll" : "WhenAny")} instead"),
                IMethodSymbol { Name: "GetResult" } when IsAwaiter(type) =>
                    ("GetAwaiter().GetResult()", AwaitInstead),
                IMethodSymbol { Name: "Sleep", IsStatic: true } when Is(type, _thread) =>
                    ("Thread.Sleep", "use 'await Task.Delay(delay, context.CancellationToken)' instead"),
                _ => null,
            };
        }

        private static bool Is(INamedTypeSymbol type, INamedTypeSymbol? expected) =>
            SymbolEqualityComparer.Default.Equals(type, expected);

        // TaskAwaiter, ValueTaskAwaiter<T>, ConfiguredTaskAwaitable<T>.ConfiguredTaskAwaiter, …: every awaiter of a
        // task-like in System.Runtime.CompilerServices blocks in GetResult until the task completes.
        private static bool IsAwaiter(INamedTypeSymbol type) =>
            type.Name.EndsWith("Awaiter", StringComparison.Ordinal)
            && type.ContainingNamespace?.ToDisplayString() == "System.Runtime.CompilerServices";
    }
}
