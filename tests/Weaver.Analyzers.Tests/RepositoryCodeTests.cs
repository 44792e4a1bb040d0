using Microsoft.CodeAnalysis;
using Weaver.Analyzers.Tests.Infrastructure;

namespace Weaver.Analyzers.Tests;

/// <summary>
/// Weaver's own code, compiled as its real build compiles it (its packages and their source generators included) with
/// Weaver's generator and every analyzer on, has no Weaver diagnostic (and compiles, so the check is real). The build
/// enforces the same, since warnings are errors; this states it as a test.
/// </summary>
public sealed class RepositoryCodeTests
{
    private const string Runtime = "src/Weaver";

    [Fact]
    public async Task The_runtime_has_no_Weaver_diagnostic()
    {
        var diagnostics = await WeaverCompilation.ProjectDiagnosticsAsync(Runtime, OutputKind.DynamicallyLinkedLibrary);

        AssertClean(diagnostics);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Every_sample_has_no_Weaver_diagnostic(string sample)
    {
        var diagnostics = await WeaverCompilation.ProjectDiagnosticsAsync(Path.Combine("samples", sample), OutputKind.ConsoleApplication);

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

    [Fact]
    public async Task A_compile_error_fails_the_check()
    {
        var diagnostics = await WeaverCompilation.ProjectDiagnosticsAsync(Runtime, OutputKind.DynamicallyLinkedLibrary,
            [("Broken.cs", "namespace Weaver; internal static class Broken { public static int Count() => \"none\"; }")]);

        Assert.Contains(Problems(diagnostics), problem => problem.Id == "CS0029");
    }

    [Fact]
    public async Task A_Weaver_diagnostic_fails_the_check()
    {
        const string discardsATrigger = """
            namespace Weaver;

            [TaskMachine]
            internal partial class Door
            {
                public enum State { [Initial] Closed, [Terminal] Open }

                [Transition(State.Closed, State.Open)]
                public partial bool TryOpen();

                public static void Push(Door door) => door.TryOpen();
            }
            """;

        var diagnostics = await WeaverCompilation.ProjectDiagnosticsAsync(Runtime, OutputKind.DynamicallyLinkedLibrary, [("Door.cs", discardsATrigger)]);

        Assert.Equal(["WVR0120"], Problems(diagnostics).Select(problem => problem.Id));
    }

    /// <summary>
    /// Source-generated logging and JSON compile only when the packages' and the targeting pack's generators run: the
    /// same file, compiled with Weaver's generator alone, leaves their partial methods without bodies.
    /// </summary>
    [Fact]
    public async Task The_generators_of_the_packages_and_the_targeting_pack_run()
    {
        const string generatedElsewhere = """
            using System.Text.Json.Serialization;
            using Microsoft.Extensions.Logging;

            namespace Weaver;

            internal static partial class CheckedLog
            {
                [LoggerMessage(1, LogLevel.Information, "Checked {Thing}.")]
                public static partial void Checked(ILogger logger, string thing);
            }

            internal sealed record CheckedThing(string Name);

            [JsonSerializable(typeof(CheckedThing))]
            internal sealed partial class CheckedJson : JsonSerializerContext;
            """;

        var withTheirGenerators = await WeaverCompilation.ProjectDiagnosticsAsync(Runtime, OutputKind.DynamicallyLinkedLibrary, [("Checked.cs", generatedElsewhere)]);
        var withWeaversAlone = await WeaverCompilation.DiagnosticsAsync([("Checked.cs", generatedElsewhere)], "Weaver", OutputKind.DynamicallyLinkedLibrary, referenceWeaver: false);

        Assert.Empty(Problems(withTheirGenerators));
        Assert.Contains(Problems(withWeaversAlone), problem => problem.Id == "CS8795");
    }

    private static void AssertClean(IEnumerable<Diagnostic> diagnostics)
    {
        var problems = Problems(diagnostics);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private static List<Diagnostic> Problems(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.Where(d => d.Id.StartsWith("WVR", StringComparison.Ordinal) || d.Severity == DiagnosticSeverity.Error).ToList();
}
