using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Weaver.Generators.Model;

namespace Weaver.Generators.Parsing;

/// <summary>
/// What parsing one <c>[TaskMachine]</c> declaration gives: the spec to emit when the declaration is valid, and the
/// diagnostics that say what is wrong otherwise. The generator keeps only the (equatable) spec; the
/// <see cref="Analysis.DeclarationAnalyzer"/> reports the diagnostics, at real source locations.
/// </summary>
internal sealed class MachineParse
{
    public MachineParse(MachineSpec? spec, IReadOnlyList<Diagnostic> diagnostics)
    {
        Spec = spec;
        Diagnostics = diagnostics;
    }

    public MachineSpec? Spec { get; }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }
}
