using Microsoft.CodeAnalysis;
using Weaver.Generators.Tests.Infrastructure;
using Xunit;

namespace Weaver.Generators.Tests;

/// <summary>
/// The generated registration of four handlers (one nested in a namespace and a class, one in the global namespace,
/// and two with outcome methods, awaited and not) and the assembly's <c>WeaverHandlers</c> class, compared character
/// for character with the files in <c>Snapshots/</c>, and compiled with every compiler diagnostic checked (there must
/// be none).
/// </summary>
public sealed class HandlerSnapshotTests
{
    private static readonly (string HintName, string Snapshot)[] Outputs =
    {
        ("Demo.Reviews.Pipelines.ReviewHandler.TaskHandler.g.cs", "Handlers.ReviewHandler.verified.cs"),
        ("PingHandler.TaskHandler.g.cs", "Handlers.PingHandler.verified.cs"),
        ("Demo.Exports.ExportHandler.TaskHandler.g.cs", "Handlers.ExportHandler.verified.cs"),
        ("Demo.Exports.AuditHandler.TaskHandler.g.cs", "Handlers.AuditHandler.verified.cs"),
        ("WeaverHandlers.g.cs", "Handlers.WeaverHandlers.verified.cs"),
    };

    [Fact]
    public async Task Generated_sources_match_their_snapshots()
    {
        var input = Snapshots.Read("Handlers.input.cs");
        if (Snapshots.Updating)
        {
            var generated = Generate(input);
            foreach (var (hintName, snapshot) in Outputs)
            {
                Snapshots.Write(snapshot, generated[hintName]);
            }

            return;
        }

        var test = new GeneratorTest();
        test.TestState.Sources.Add(input);
        foreach (var (hintName, snapshot) in Outputs)
        {
            test.TestState.GeneratedSources.Add((typeof(TaskMachineGenerator), hintName, Snapshots.Read(snapshot)));
        }

        await test.RunAsync();
    }

    /// <summary>
    /// A project that sees dependency injection (every project using the Weaver package does) gets
    /// <c>AddWeaverHandlers</c> too; the handlers' own parts do not change. Without it (the test above), the generated
    /// code names no dependency injection type and still compiles.
    /// </summary>
    [Fact]
    public async Task With_dependency_injection_WeaverHandlers_also_adds_the_handlers_to_services()
    {
        const string Snapshot = "Handlers.WeaverHandlers.Services.verified.cs";
        var input = Snapshots.Read("Handlers.input.cs");
        if (Snapshots.Updating)
        {
            var result = Compilations.Driver().RunGenerators(Compilations.CreateWithServices(input)).GetRunResult().Results.Single();
            Snapshots.Write(Snapshot, result.GeneratedSources.Single(s => s.HintName == "WeaverHandlers.g.cs").SourceText.ToString());
            return;
        }

        var test = new GeneratorTest(withServices: true);
        test.TestState.Sources.Add(input);
        foreach (var (hintName, snapshot) in Outputs)
        {
            test.TestState.GeneratedSources.Add((typeof(TaskMachineGenerator), hintName, Snapshots.Read(hintName == "WeaverHandlers.g.cs" ? Snapshot : snapshot)));
        }

        await test.RunAsync();
    }

    /// <summary>
    /// A handler whose only constructor takes services: its registration passes each parameter from the attempt's scope,
    /// and <c>RegisterAll</c> leaves it to <c>AddWeaverHandlers</c>, since a registry alone cannot run it.
    /// </summary>
    [Fact]
    public async Task A_handler_that_takes_services_is_created_from_them()
    {
        var outputs = new[]
        {
            ("Demo.Services.NotifyHandler.TaskHandler.g.cs", "ServiceHandlers.NotifyHandler.verified.cs"),
            ("Demo.Services.PingHandler.TaskHandler.g.cs", "ServiceHandlers.PingHandler.verified.cs"),
            ("WeaverHandlers.g.cs", "ServiceHandlers.WeaverHandlers.verified.cs"),
        };
        var input = Snapshots.Read("ServiceHandlers.input.cs");
        if (Snapshots.Updating)
        {
            var generated = Generate(input, Compilations.CreateWithServices);
            foreach (var (hintName, snapshot) in outputs)
            {
                Snapshots.Write(snapshot, generated[hintName]);
            }

            return;
        }

        var test = new GeneratorTest(withServices: true);
        test.TestState.Sources.Add(input);
        foreach (var (hintName, snapshot) in outputs)
        {
            test.TestState.GeneratedSources.Add((typeof(TaskMachineGenerator), hintName, Snapshots.Read(snapshot)));
        }

        await test.RunAsync();
    }

    [Fact]
    public void AddWeaverHandlers_is_left_out_when_the_compilation_does_not_see_dependency_injection()
    {
        var withServices = Generate(Snapshots.Read("Handlers.input.cs"), Compilations.CreateWithServices)["WeaverHandlers.g.cs"];
        var without = Generate(Snapshots.Read("Handlers.input.cs"))["WeaverHandlers.g.cs"];

        Assert.Contains("public static global::Microsoft.Extensions.DependencyInjection.IServiceCollection AddWeaverHandlers(", withServices, StringComparison.Ordinal);
        Assert.Contains("RegisterAll(", without, StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft.Extensions.DependencyInjection", without, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WeaverHandlers_lives_in_the_projects_root_namespace()
    {
        var input = Snapshots.Read("Handlers.input.cs");
        var test = new GeneratorTest();
        test.TestState.Sources.Add(input);
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\nbuild_property.RootNamespace = Demo.App\n"));
        foreach (var (hintName, snapshot) in Outputs)
        {
            var expected = Snapshots.Read(snapshot);
            if (hintName == "WeaverHandlers.g.cs")
            {
                expected = expected.Replace("namespace Weaver.Generated\n", "namespace Demo.App\n", StringComparison.Ordinal);
            }

            test.TestState.GeneratedSources.Add((typeof(TaskMachineGenerator), hintName, expected));
        }

        await test.RunAsync();
    }

    [Theory]
    [InlineData("Demo.App", "Demo.App")]
    [InlineData(" My.Company.Tool ", "My.Company.Tool")]
    [InlineData("Demo.class", "Demo.@class")]
    [InlineData("", null)]
    [InlineData("My-App", null)]
    [InlineData("Demo..App", null)]
    [InlineData("global", null)]
    public void Root_namespace_is_used_when_it_is_a_namespace_name(string value, string? expected) =>
        Assert.Equal(expected, Parsing.RootNamespace.Normalize(value));

    [Theory]
    [InlineData("Ping", "", "Weaver.Generated")] // a global-namespace class Ping: namespace Ping would be CS0101
    [InlineData("Tools.Other.Sub", "", "Weaver.Generated")] // class Tools.Other: namespace Tools.Other would be CS0101
    [InlineData("Tools.Ping", "", "Tools.Ping")]
    [InlineData("Demo", "", "Demo")]
    [InlineData("Demo", "namespace Demo { public static partial class WeaverHandlers { public static int Extra => 1; } }", "Demo")]
    [InlineData("Demo", "namespace Demo { public class WeaverHandlers { } }", "Weaver.Generated")]
    [InlineData("Demo", "namespace Demo.WeaverHandlers { public class X { } }", "Weaver.Generated")]
    [InlineData("Demo", "namespace Demo { internal static partial class WeaverHandlers { } } namespace Weaver.Generated { public class WeaverHandlers { } }", "WeaverGenerated")]
    public void WeaverHandlers_avoids_a_namespace_that_would_not_compile(string rootNamespace, string extra, string expected)
    {
        var handler = """
            using System.Threading.Tasks;
            using Weaver;

            [TaskHandler("ping")]
            public partial class Ping : ITaskHandler<string, int>
            {
                public ValueTask<int> HandleAsync(string input, TaskContext context) => ValueTask.FromResult(input.Length);
            }

            namespace Tools { public class Other { } }
            """;
        var compilation = Compilations.Create(handler, extra);
        var driver = Compilations.Driver()
            .WithUpdatedAnalyzerConfigOptions(new RootNamespaceOptions(rootNamespace))
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);

        var registry = driver.GetRunResult().GeneratedTrees.Single(t => t.FilePath.EndsWith("WeaverHandlers.g.cs", StringComparison.Ordinal));
        Assert.Contains($"namespace {expected}\n", registry.GetText().ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity >= DiagnosticSeverity.Warning);
    }

    [Fact]
    public void An_assembly_without_handlers_gets_no_WeaverHandlers()
    {
        var result = Compilations.Driver().RunGenerators(Compilations.Create("public class Plain { }")).GetRunResult();

        Assert.Empty(result.GeneratedTrees);
    }

    private static Dictionary<string, string> Generate(string input, Func<string[], Microsoft.CodeAnalysis.CSharp.CSharpCompilation>? create = null)
    {
        var result = Compilations.Driver().RunGenerators((create ?? Compilations.Create)([input])).GetRunResult().Results.Single();
        Assert.True(result.Diagnostics.IsEmpty, $"Generator diagnostics: {string.Join("; ", result.Diagnostics)}");
        return result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
    }
}
