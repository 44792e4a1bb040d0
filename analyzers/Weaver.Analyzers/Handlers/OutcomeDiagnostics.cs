using Microsoft.CodeAnalysis;
using Weaver.Analyzers.Infrastructure;

namespace Weaver.Analyzers.Handlers;

/// <summary>The terminal-state rules about a handler's outcome methods.</summary>
internal static class OutcomeDiagnostics
{
    public static readonly DiagnosticDescriptor UnhandledOutcome = AnalyzerRules.Create(
        "WVR0114",
        "Task handler does not handle every terminal outcome",
        "Task handler '{0}' has outcome methods for {1} of '{2}' but not for {3}; a task can end in any terminal state, so add an [OnOutcome(...)] method for each missing one",
        AnalyzerRules.TerminalStates,
        DiagnosticSeverity.Warning,
        "A handler that follows up on some of the ways a task can end (with [OnOutcome] methods) usually needs to follow up on all of them: a task that ends in a state without one ends silently.");
}
