using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Weaver.Benchmarks.Compiler;

/// <summary>
/// Issue 9, point 5: what Weaver's generator and analyzers cost on a project of <see cref="Machines"/> task machines
/// (<see cref="ProbeProject"/>), against the baseline of the compiler's own work on that project: binding every
/// declaration and method body and reporting its diagnostics (<see cref="Compilation.GetDiagnostics(CancellationToken)"/>), which every
/// build does anyway.
/// </summary>
/// <remarks>
/// Each invocation works on a fresh <see cref="Compilation.Clone"/>, so nothing bound by an earlier invocation is reused.
/// The analyzers run through <see cref="CompilationWithAnalyzers"/>, which binds the compilation itself: their own
/// cost is their time less the baseline's.
/// </remarks>
[MemoryDiagnoser]
public class CompilerBenchmarks
{
    /// <summary>How many machines the probe project declares: 200, or 20 in a smoke run (which proves execution, not speed).</summary>
    [ParamsSource(nameof(MachineCounts))]
    public int Machines { get; set; }

    /// <summary>The values of <see cref="Machines"/>.</summary>
    public static IEnumerable<int> MachineCounts => Program.IsSmoke ? [20] : [200];

    private CSharpCompilation _source = null!;
    private CSharpCompilation _edited = null!;
    private Compilation _generated = null!;
    private GeneratorDriver _warmDriver = null!;

    /// <summary>
    /// Builds the probe, runs the generator once, and checks the result: one generated file per machine and no error
    /// anywhere, so no benchmark here measures a broken compilation.
    /// </summary>
    [GlobalSetup]
    public void Setup()
    {
        if (ProbeProject.Analyzers.IsEmpty)
        {
            throw new InvalidOperationException("No analyzer was found in Weaver.Analyzers.");
        }

        _source = ProbeProject.Create(Machines);
        _warmDriver = ProbeProject.NewDriver().RunGeneratorsAndUpdateCompilation(_source, out _generated, out var generatorDiagnostics);
        var machineFiles = _warmDriver.GetRunResult().GeneratedTrees.Count(tree => Path.GetFileName(tree.FilePath).StartsWith("CostProbe.Job", StringComparison.Ordinal));
        var errors = generatorDiagnostics.Concat(_generated.GetDiagnostics()).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (machineFiles != Machines || errors.Count > 0)
        {
            throw new InvalidOperationException(
                $"The probe project did not generate cleanly: {machineFiles} machine files for {Machines} machines, {errors.Count} errors; first: {errors.FirstOrDefault()}.");
        }

        var first = _source.SyntaxTrees.Single(tree => tree.FilePath == "Machine1.cs");
        _edited = _source.ReplaceSyntaxTree(first, CSharpSyntaxTree.ParseText(ProbeProject.MachineFile(1, edit: true), ProbeProject.ParseOptions, path: first.FilePath));
    }

    /// <summary>The baseline: the compiler binds the project (generated code included) and reports its diagnostics.</summary>
    /// <returns>How many diagnostics it reported.</returns>
    [Benchmark(Baseline = true)]
    public int Compile() => _generated.Clone().GetDiagnostics().Length;

    /// <summary>The generator, from scratch: a new driver over the project before generation (what a command-line build does).</summary>
    /// <returns>How many files it generated.</returns>
    [Benchmark]
    public int Generate() => ProbeProject.NewDriver().RunGenerators(_source.Clone()).GetRunResult().GeneratedTrees.Length;

    /// <summary>
    /// The generator after an edit inside one method body, from the driver of the previous run (what the IDE does on a
    /// keystroke): its cached steps should make this far cheaper than <see cref="Generate"/>.
    /// </summary>
    /// <returns>How many files it generated.</returns>
    [Benchmark]
    public int GenerateAfterEdit() => _warmDriver.RunGenerators(_edited.Clone()).GetRunResult().GeneratedTrees.Length;

    /// <summary>Every Weaver analyzer over the generated project (this binds the project too: see the remarks).</summary>
    /// <returns>How many diagnostics the analyzers reported.</returns>
    [Benchmark]
    public async Task<int> Analyze()
    {
        var analyzed = _generated.Clone().WithAnalyzers(ProbeProject.Analyzers, new AnalyzerOptions([], ProbeProject.Options));
        return (await analyzed.GetAnalyzerDiagnosticsAsync().ConfigureAwait(false)).Length;
    }
}
