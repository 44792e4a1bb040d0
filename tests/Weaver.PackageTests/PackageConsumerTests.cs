using System.IO.Compression;
using System.Xml.Linq;
using Xunit;

namespace Weaver.PackageTests;

/// <summary>
/// "A user adds one package and everything works": the packed Weaver.nupkg, consumed from a fresh project outside
/// the repository, brings the runtime, the generator and its diagnostics.
/// </summary>
public sealed class PackageConsumerTests(PackageFixture package) : IClassFixture<PackageFixture>
{
    private const string ReviewTaskSource = """
        using Weaver;

        [TaskMachine]
        public partial class ReviewTask
        {
            private readonly List<State> _visited = [InitialState];

            public enum State { [Initial] Queued, Running, [Terminal] Succeeded, [Terminal] Dead }

            public IReadOnlyList<State> Visited => _visited;

            public string? KillReason { get; private set; }

            [Transition(State.Queued, State.Running)] public partial bool TryStart();
            [Transition(State.Running, State.Succeeded)] public partial bool TrySucceed();
            [Transition(State.Queued, State.Dead)] [Transition(State.Running, State.Dead)] public partial bool TryKill(string reason);

            partial void OnKill(State from, State to, string reason) => KillReason = reason;

            partial void OnTransitioned(State from, State to) => _visited.Add(to);
        }
        """;

    private const string ProgramSource = """
        using Weaver;

        var task = new ReviewTask();
        Console.WriteLine($"initial: {task.Current}");
        Console.WriteLine($"TrySucceed while Queued: {task.TrySucceed()}");
        Console.WriteLine($"TryStart: {task.TryStart()}");
        Console.WriteLine($"TryStart while Running: {task.TryStart()}");
        Console.WriteLine($"TrySucceed: {task.TrySucceed()}");
        Console.WriteLine($"current: {task.Current}, terminal: {task.IsTerminal}");
        Console.WriteLine($"TryKill after success: {task.TryKill("too late")}");
        try
        {
            task.Start();
            Console.WriteLine("Start() did not throw");
        }
        catch (InvalidTransitionException e)
        {
            Console.WriteLine($"Start() threw for {e.Trigger} in {e.State}");
        }

        Console.WriteLine($"visited: {string.Join(" -> ", task.Visited)}");

        var doomed = new ReviewTask();
        Console.WriteLine($"TryKill while Queued: {doomed.TryKill("cancelled by user")}, now {doomed.Current}, reason: {doomed.KillReason}");

        Console.WriteLine($"initial via ITaskMachine: {Describe<ReviewTask, ReviewTask.State>()}");
        Console.WriteLine($"transitions: {string.Join("; ", ReviewTask.Transitions)}");
        Console.WriteLine(ReviewTask.ToMermaid());

        static string Describe<TMachine, TState>()
            where TMachine : ITaskMachine<TMachine, TState>
            where TState : struct, Enum =>
            $"{TMachine.InitialState}, {TMachine.Transitions.Count} transitions";
        """;

    [Fact]
    public void Package_carries_runtime_docs_generator_analyzers_and_readme_without_a_Roslyn_dependency()
    {
        using var archive = ZipFile.OpenRead(package.PackagePath);
        var entries = archive.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal).ToArray();
        var listing = string.Join(Environment.NewLine, entries);

        foreach (var expected in new[]
        {
            "lib/net10.0/Weaver.dll",
            "lib/net10.0/Weaver.xml",
            "analyzers/dotnet/cs/Weaver.Generators.dll",
            "analyzers/dotnet/cs/Weaver.Analyzers.dll",
            "analyzers/dotnet/cs/Weaver.Analyzers.CodeFixes.dll",
            "README.md",
            "Weaver.nuspec",
        })
        {
            Assert.True(entries.Contains(expected), $"{package.PackagePath} has no '{expected}'. It holds:{Environment.NewLine}{listing}");
        }

        // Roslyn is the compiler's own; bundling or depending on it would clash with the consumer's compiler.
        Assert.False(
            entries.Any(e => e.Contains("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase)),
            $"The package bundles a Roslyn assembly:{Environment.NewLine}{listing}");

        var nuspecEntry = archive.GetEntry("Weaver.nuspec")!;
        XDocument nuspec;
        using (var stream = nuspecEntry.Open())
        {
            nuspec = XDocument.Load(stream);
        }

        var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

        Assert.Equal("Weaver", Value("id"));
        Assert.Equal(package.Version, Value("version"));
        Assert.Equal("README.md", Value("readme"));

        var dependencies = nuspec.Descendants()
            .Where(e => e.Name.LocalName == "dependency")
            .Select(e => (string?)e.Attribute("id") ?? "")
            .ToArray();
        var privateOnly = new[] { "Microsoft.CodeAnalysis", "PolySharp" };
        Assert.False(
            dependencies.Any(d => privateOnly.Any(p => d.StartsWith(p, StringComparison.OrdinalIgnoreCase))),
            $"The generator's private build references leaked into the nuspec dependencies:{Environment.NewLine}{nuspec}");
    }

    [Fact]
    public void Fresh_console_app_with_only_the_package_builds_and_runs_a_generated_machine()
    {
        var consumer = package.CreateConsumer(
            "ReviewApp",
            new Dictionary<string, string> { ["ReviewTask.cs"] = ReviewTaskSource, ["Program.cs"] = ProgramSource });

        var build = consumer.Build();
        Assert.True(build.ExitCode == 0, $"A fresh consumer of Weaver {package.Version} did not build.{Environment.NewLine}{build.Describe()}");

        // The generator came from this run's package, restored into the isolated packages folder.
        var restored = Path.Combine(package.PackagesDirectory, "weaver", package.Version.ToLowerInvariant());
        Assert.True(
            File.Exists(Path.Combine(restored, "analyzers", "dotnet", "cs", "Weaver.Generators.dll")),
            $"Weaver {package.Version} was not restored into {package.PackagesDirectory}.{Environment.NewLine}{build.Describe()}");

        var run = consumer.RunWithoutBuilding();
        Assert.True(run.ExitCode == 0, $"The consumer app failed.{Environment.NewLine}{run.Describe()}");

        var stdout = run.StandardOutput;
        foreach (var expected in new[]
        {
            "initial: Queued",
            "TrySucceed while Queued: False",
            "TryStart: True",
            "TryStart while Running: False",
            "TrySucceed: True",
            "current: Succeeded, terminal: True",
            "TryKill after success: False",
            "Start() threw for Start in Succeeded",
            "visited: Queued -> Running -> Succeeded",
            "TryKill while Queued: True, now Dead, reason: cancelled by user",
            "initial via ITaskMachine: Queued, 4 transitions",
            "transitions: Queued --Start--> Running; Running --Succeed--> Succeeded; Queued --Kill--> Dead; Running --Kill--> Dead",
            "stateDiagram-v2",
            "[*] --> Queued",
            "Queued --> Running : Start",
            "Running --> Succeeded : Succeed",
            "Queued --> Dead : Kill",
            "Running --> Dead : Kill",
            "Succeeded --> [*]",
            "Dead --> [*]",
        })
        {
            Assert.True(stdout.Contains(expected, StringComparison.Ordinal), $"Expected '{expected}' in the app's output.{Environment.NewLine}{run.Describe()}");
        }
    }

    [Theory]
    [InlineData("WVR0001", "public partial class ReviewTask", "public class ReviewTask")]
    [InlineData("WVR0007", "[Terminal] ", "")]
    public void Generator_diagnostics_fail_a_consumer_build(string diagnosticId, string find, string replace)
    {
        var broken = ReviewTaskSource.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(ReviewTaskSource, broken);

        var consumer = package.CreateConsumer(
            $"Broken{diagnosticId}",
            new Dictionary<string, string> { ["ReviewTask.cs"] = broken, ["Program.cs"] = "System.Console.WriteLine(\"unreachable\");\n" });

        var build = consumer.Build();
        Assert.True(build.ExitCode != 0, $"The build should have failed with {diagnosticId}.{Environment.NewLine}{build.Describe()}");
        Assert.True(
            build.Output.Contains($"error {diagnosticId}:", StringComparison.Ordinal),
            $"Expected 'error {diagnosticId}:' in the build output.{Environment.NewLine}{build.Describe()}");
    }

    /// <summary>
    /// The same broken declarations, with the rule turned off in <c>.editorconfig</c> or by <c>#pragma</c>: the WVR
    /// message disappears (the machine is still not generated, so the build still fails on CS8795). Together with
    /// the test above this shows the diagnostics sit at real source locations that configuration applies to.
    /// </summary>
    [Theory]
    [InlineData("editorconfig")]
    [InlineData("pragma")]
    public void Consumer_can_configure_a_declaration_diagnostic(string how)
    {
        var broken = ReviewTaskSource.Replace("[Terminal] ", string.Empty, StringComparison.Ordinal);
        var sources = new Dictionary<string, string> { ["Program.cs"] = "System.Console.WriteLine(\"unreachable\");\n" };
        if (how == "editorconfig")
        {
            sources["ReviewTask.cs"] = broken;
            sources[".editorconfig"] = "root = true\n\n[*.cs]\ndotnet_diagnostic.WVR0007.severity = none\n";
        }
        else
        {
            sources["ReviewTask.cs"] = "#pragma warning disable WVR0007\n" + broken;
        }

        var build = package.CreateConsumer($"Configured{how}", sources).Build();

        Assert.True(build.ExitCode != 0, $"The machine is still not generated.{Environment.NewLine}{build.Describe()}");
        Assert.True(build.Output.Contains("CS8795", StringComparison.Ordinal), build.Describe());
        Assert.False(build.Output.Contains("WVR0007", StringComparison.Ordinal), $"WVR0007 should be off.{Environment.NewLine}{build.Describe()}");
    }

    /// <summary>
    /// The analyzers ship in the package too: an ignored trigger result is reported in a consumer's
    /// <c>dotnet build</c> (an error there, since the consumer treats warnings as errors), and <c>.editorconfig</c>
    /// turns it off.
    /// </summary>
    [Theory]
    [InlineData("default")]
    [InlineData("none")]
    public void Analyzer_diagnostics_reach_a_consumer_build_at_the_configured_severity(string severity)
    {
        var sources = new Dictionary<string, string>
        {
            ["ReviewTask.cs"] = ReviewTaskSource,
            ["Program.cs"] = "var task = new ReviewTask();\ntask.TryStart();\nSystem.Console.WriteLine(task.Current);\n",
        };
        if (severity == "none")
        {
            sources[".editorconfig"] = "root = true\n\n[*.cs]\ndotnet_diagnostic.WVR0120.severity = none\n";
        }

        var build = package.CreateConsumer($"Analyzed{severity}", sources).Build();

        if (severity == "default")
        {
            Assert.True(build.ExitCode != 0, $"WVR0120 (a warning, treated as an error) should fail the build.{Environment.NewLine}{build.Describe()}");
            Assert.True(build.Output.Contains("Program.cs(2,1): error WVR0120:", StringComparison.Ordinal), build.Describe());
        }
        else
        {
            Assert.True(build.ExitCode == 0, $"WVR0120 is off, so the build should pass.{Environment.NewLine}{build.Describe()}");
            Assert.False(build.Output.Contains("WVR0120", StringComparison.Ordinal), build.Describe());
        }
    }
}
