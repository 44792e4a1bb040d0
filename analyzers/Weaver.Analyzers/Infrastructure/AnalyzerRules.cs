using Microsoft.CodeAnalysis;
using Weaver.Generators.Diagnostics;

namespace Weaver.Analyzers.Infrastructure;

/// <summary>Creates the analyzers' descriptors the same way: help link to the rule's page, enabled by default.</summary>
internal static class AnalyzerRules
{
    /// <summary>Await and wake-up rules around locks (WVR0100–WVR0109).</summary>
    public const string Locks = "Weaver.Locks";

    /// <summary>Terminal-state handling and the machine's state graph (WVR0110–WVR0119).</summary>
    public const string TerminalStates = "Weaver.TerminalStates";

    /// <summary>Misuse of Weaver's API (WVR0120–WVR0129).</summary>
    public const string Usage = "Weaver.Usage";

    public static DiagnosticDescriptor Create(
        string id, string title, string messageFormat, string category, DiagnosticSeverity severity, string description) =>
        new(id, title, messageFormat, category, severity, isEnabledByDefault: true, description, HelpLinks.For(id));
}
