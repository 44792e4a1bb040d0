using Microsoft.CodeAnalysis;
using Weaver.Generators.Model;

namespace Weaver.Generators.Diagnostics;

/// <summary>The last step of every pipeline that reports declaration errors.</summary>
internal static class DiagnosticReporting
{
    /// <summary>
    /// Reports <paramref name="diagnostics"/> at real source locations: each file-and-span is mapped onto the current
    /// compilation's syntax tree, so pragmas and <c>.editorconfig</c> apply. Only invalid declarations reach this
    /// step; it re-runs on edits while one exists.
    /// </summary>
    public static void Register(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics) =>
        context.RegisterSourceOutput(diagnostics.Combine(context.CompilationProvider), static (output, input) =>
        {
            var (infos, compilation) = input;
            foreach (var info in infos)
            {
                output.ReportDiagnostic(info.ToDiagnostic(compilation));
            }
        });
}
