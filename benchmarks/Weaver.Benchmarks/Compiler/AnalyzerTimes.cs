using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics.Telemetry;

namespace Weaver.Benchmarks.Compiler;

/// <summary>
/// The <c>--analyzer-times</c> report: each Weaver analyzer's own execution time on the probe project, as Roslyn's
/// analyzer driver measures it (<see cref="AnalyzerTelemetryInfo.ExecutionTime"/>, the same numbers
/// <c>-p:ReportAnalyzer=true</c> prints in a build), so the analyzers' cost is read directly rather than as the
/// difference of two benchmarks. Not a BenchmarkDotNet benchmark: one sequential analysis per round, after warm-up
/// rounds, the last round reported.
/// </summary>
public static class AnalyzerTimes
{
    /// <summary>The option that selects this report.</summary>
    public const string Option = "--analyzer-times";

    /// <summary>Writes each analyzer's execution time, slowest first, and their sum.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="machines">How many machines the probe declares.</param>
    /// <param name="rounds">How many analyses to run (all but the last warm up); at least 1.</param>
    /// <returns>0.</returns>
    public static async Task<int> RunAsync(TextWriter output, int machines = 200, int rounds = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        ProbeProject.NewDriver().RunGeneratorsAndUpdateCompilation(ProbeProject.Create(machines), out var generated, out _);
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([], ProbeProject.Options), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true);
        IReadOnlyList<(string Name, TimeSpan Time)> times = [];
        var diagnostics = 0;
        for (var round = 0; round < rounds; round++)
        {
            var analyzed = generated.Clone().WithAnalyzers(ProbeProject.Analyzers, options);
            diagnostics = (await analyzed.GetAnalyzerDiagnosticsAsync().ConfigureAwait(false)).Length;
            var measured = new List<(string, TimeSpan)>();
            foreach (var analyzer in ProbeProject.Analyzers)
            {
                measured.Add((analyzer.GetType().Name, (await analyzed.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).ConfigureAwait(false)).ExecutionTime));
            }

            times = measured;
        }

        output.WriteLine($"Weaver analyzers on the probe project ({machines} machines, {machines * 10} hand-written methods), round {rounds} of {rounds}; {diagnostics} diagnostics:");
        foreach (var (name, time) in times.OrderByDescending(t => t.Time))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {time.TotalMilliseconds,8:F1} ms  {name}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {times.Sum(t => t.Time.TotalMilliseconds),8:F1} ms  in all"));
        return 0;
    }
}
