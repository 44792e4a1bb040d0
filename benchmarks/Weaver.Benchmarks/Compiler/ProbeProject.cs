using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Weaver.Analyzers.Infrastructure;
using Weaver.Generators;

namespace Weaver.Benchmarks.Compiler;

/// <summary>
/// A user's project with many task machines, as source: per machine one file with a six-state <c>[TaskMachine]</c>
/// and a worker class of ten hand-written methods that take locks, await and switch over the machine's states (the
/// same probe <c>benchmarks/AnalyzerCost/measure.sh</c> builds with <c>dotnet build</c>), compiled the way a net10.0
/// project with implicit usings compiles.
/// </summary>
public static class ProbeProject
{
    /// <summary>The project's root namespace (where the generator puts <c>WeaverHandlers</c>).</summary>
    public const string RootNamespace = "CostProbe";

    /// <summary>The parse options: C# latest.</summary>
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    /// <summary>The project-wide options the SDK passes to generators and analyzers (only the root namespace is set).</summary>
    public static AnalyzerConfigOptionsProvider Options { get; } = new RootNamespaceOptions();

    /// <summary>Every analyzer the Weaver package ships: each concrete <c>[DiagnosticAnalyzer]</c> type of Weaver.Analyzers.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = typeof(WeaverAnalyzer).Assembly.GetTypes()
        .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type) && type.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!)
        .ToImmutableArray();

    /// <summary>A new driver of Weaver's generator, with the project's parse options and root namespace.</summary>
    /// <returns>The driver, which has run nothing yet.</returns>
    public static GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create([new TaskMachineGenerator().AsSourceGenerator()], parseOptions: ParseOptions, optionsProvider: Options);

    /// <summary>The compilation of <paramref name="machines"/> machine files, before the generator runs.</summary>
    /// <param name="machines">How many machines (and worker classes); at least 1.</param>
    /// <returns>The compilation.</returns>
    public static CSharpCompilation Create(int machines)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(machines, 1);
        var trees = Enumerable.Range(1, machines)
            .Select(i => CSharpSyntaxTree.ParseText(MachineFile(i), ParseOptions, path: $"Machine{i}.cs"))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, ParseOptions, path: "GlobalUsings.g.cs"));
        return CSharpCompilation.Create(
            "CostProbe",
            trees,
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>The file of machine <paramref name="i"/>: the machine and its worker class.</summary>
    /// <param name="i">The machine's number.</param>
    /// <param name="edit">A variant of the file with one worker method's body changed (an edit that changes no declaration).</param>
    /// <returns>The C# source.</returns>
    public static string MachineFile(int i, bool edit = false) => Template
        .Replace("$i", i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("$step", edit ? "2" : "1", StringComparison.Ordinal);

    /// <summary>What the project compiles against: the running framework's assemblies and the Weaver runtime.</summary>
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return platform
            .Where(path => Path.GetFileName(path).StartsWith("System", StringComparison.Ordinal)
                || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(TaskMachineAttribute).Assembly.Location)
            .Append(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    });

    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    /// <summary>
    /// One machine's file, with <c>$i</c> for its number and <c>$step</c> for the edited body: the template
    /// <c>AnalyzerCost/measure.sh</c> builds too, embedded from <c>benchmarks/AnalyzerCost/Machine.cs.template</c>.
    /// </summary>
    private static readonly string Template = ReadTemplate();

    private static string ReadTemplate()
    {
        using var stream = typeof(ProbeProject).Assembly.GetManifestResourceStream("ProbeMachine.cs.template")
            ?? throw new InvalidOperationException("The probe's machine template is not embedded in the benchmark assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Project-wide options as the SDK passes them, with only <c>build_property.RootNamespace</c> set.</summary>
    private sealed class RootNamespaceOptions : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Values(RootNamespace);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Values.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Values.Empty;

        private sealed class Values(string? rootNamespace) : AnalyzerConfigOptions
        {
            public static Values Empty { get; } = new(null);

            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value)
            {
                value = key == "build_property.RootNamespace" ? rootNamespace : null;
                return value is not null;
            }
        }
    }
}
