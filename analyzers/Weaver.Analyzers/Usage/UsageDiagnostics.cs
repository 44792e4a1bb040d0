using Microsoft.CodeAnalysis;
using Weaver.Analyzers.Infrastructure;

namespace Weaver.Analyzers.Usage;

/// <summary>Misuse of Weaver's API: WVR0120–WVR0129.</summary>
internal static class UsageDiagnostics
{
    public static readonly DiagnosticDescriptor ResultDiscarded = AnalyzerRules.Create(
        "WVR0120",
        "Result of a trigger or claim is ignored",
        "The result of '{0}' is ignored; it returns false when {1}, so check it, or discard it with '_ = ' if that is intended",
        AnalyzerRules.Usage,
        DiagnosticSeverity.Warning,
        "A Try trigger or a claim-table call that returns false changed nothing; code that goes on as if it succeeded acts on a state it does not have.");

    public static readonly DiagnosticDescriptor BlockingCallInHandler = AnalyzerRules.Create(
        "WVR0121",
        "Blocking call inside a task handler",
        "'{0}' blocks a worker thread inside task handler '{1}'; {2}",
        AnalyzerRules.Usage,
        DiagnosticSeverity.Warning,
        "A handler runs on a worker of a fixed-size group; a blocked worker runs nothing else, cannot be cancelled by the lease's token, and can deadlock on a synchronization context.");
}
