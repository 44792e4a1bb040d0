using Microsoft.CodeAnalysis;
using Weaver.Analyzers.Infrastructure;

namespace Weaver.Analyzers.TerminalStates;

/// <summary>The descriptors of the terminal-state rules (WVR0110–WVR0113).</summary>
internal static class TerminalStateRules
{
    public static readonly DiagnosticDescriptor SwitchMissesTerminalState = AnalyzerRules.Create(
        "WVR0110",
        "Switch over a machine's states does not handle every terminal state",
        "This switch over '{0}' does not handle the terminal state(s) {1}; add a case for each (a default arm does not count)",
        AnalyzerRules.TerminalStates,
        DiagnosticSeverity.Warning,
        "A switch over a task machine's state enum must name each terminal state in a case of its own. A default or "
            + "discard arm silently folds a finished task into the handling of a running one, and a terminal state "
            + "added later goes unnoticed.");

    public static readonly DiagnosticDescriptor StateCannotReachTerminal = AnalyzerRules.Create(
        "WVR0111",
        "State cannot reach a terminal state",
        "State '{0}' of machine '{1}' cannot reach a terminal state; add a transition that leads from it toward one of: {2}",
        AnalyzerRules.TerminalStates,
        DiagnosticSeverity.Warning,
        "No sequence of the machine's transitions leads from this state to a terminal one, so a task that enters it "
            + "never finishes.");

    public static readonly DiagnosticDescriptor StateUnreachableFromInitial = AnalyzerRules.Create(
        "WVR0112",
        "State cannot be reached from the initial state",
        "State '{0}' of machine '{1}' cannot be reached from the initial state '{2}'; add a transition that leads to it, or remove the state",
        AnalyzerRules.TerminalStates,
        DiagnosticSeverity.Warning,
        "No sequence of the machine's transitions leads from the initial state to this one, so no task is ever in it "
            + "unless it is restored there from storage.");

    public static readonly DiagnosticDescriptor TransitionLeavesTerminalState = AnalyzerRules.Create(
        "WVR0113",
        "Transition leaves a terminal state",
        "Machine '{0}' has a transition out of terminal state '{1}' (to '{2}'), but a terminal state means the task's work has ended; remove the transition, or do not mark '{1}' [Terminal]",
        AnalyzerRules.TerminalStates,
        DiagnosticSeverity.Warning,
        "A terminal state is where a task's work ends: the runtime commits a task's terminal outcome exactly once. "
            + "A transition out of it revives finished work.");
}
