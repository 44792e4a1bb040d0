using Weaver.Generators.Diagnostics;

namespace Weaver.Generators.Model;

/// <summary>
/// What parsing one <c>[TaskMachine]</c> declaration gives: a spec to emit when the declaration is valid, and the
/// diagnostics that say what is wrong otherwise. Both are plain values; the pipeline splits them so that a
/// diagnostic's moved location never invalidates the cached spec.
/// </summary>
internal sealed record MachineParseResult(MachineSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
