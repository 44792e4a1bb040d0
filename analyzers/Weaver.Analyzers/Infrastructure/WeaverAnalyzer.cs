using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Weaver.Analyzers.Infrastructure;

/// <summary>
/// The base of every Weaver analyzer: runs concurrently, skips generated code (Weaver's own output included), and
/// registers its actions only for compilations that reference Weaver, with Weaver's symbols resolved once.
/// </summary>
public abstract class WeaverAnalyzer : DiagnosticAnalyzer
{
    public sealed override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (WeaverSymbols.TryCreate(start.Compilation) is { } symbols)
            {
                OnCompilationStart(start, symbols);
            }
        });
    }

    private protected abstract void OnCompilationStart(CompilationStartAnalysisContext context, WeaverSymbols symbols);
}
