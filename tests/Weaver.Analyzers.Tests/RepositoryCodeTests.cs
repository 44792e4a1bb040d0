using Microsoft.CodeAnalysis;
using Weaver.Analyzers.Tests.Infrastructure;

namespace Weaver.Analyzers.Tests;

/// <summary>
/// Weaver's own code, compiled with its generator and every analyzer on, has no Weaver diagnostic (and compiles, so
/// the check is real). The build enforces the same, since warnings are errors; this states it as a test.
/// </summary>
public sealed class RepositoryCodeTests
{
    [Fact]
    public async Task The_runtime_has_no_Weaver_diagnostic()
    {
        var diagnostics = await WeaverCompilation.DiagnosticsAsync(RepositoryFiles.CSharpFiles("src/Weaver"), "Weaver", OutputKind.DynamicallyLinkedLibrary, referenceWeaver: false);

        AssertClean(diagnostics);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Every_sample_has_no_Weaver_diagnostic(string sample)
    {
        var diagnostics = await WeaverCompilation.DiagnosticsAsync(RepositoryFiles.CSharpFiles(Path.Combine("samples", sample)), sample, OutputKind.ConsoleApplication, referenceWeaver: true, WeaverReferences.SampleLibraries);

        AssertClean(diagnostics);
    }

    public static TheoryData<string> Samples() =>
        new(Directory.GetDirectories(Path.Combine(RepositoryFiles.Root, "samples")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Fact]
    public void Every_analyzer_of_the_package_is_checked()
    {
        Assert.NotEmpty(WeaverCompilation.AllAnalyzers);
        Assert.Contains(WeaverCompilation.AllAnalyzers, analyzer => analyzer.SupportedDiagnostics.Any(d => d.Id == "WVR0120"));
    }

    private static void AssertClean(IEnumerable<Diagnostic> diagnostics)
    {
        var problems = diagnostics
            .Where(d => d.Id.StartsWith("WVR", StringComparison.Ordinal) || d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.ToString())
            .ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
