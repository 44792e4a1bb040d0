using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Weaver.Analyzers.Infrastructure;
using Weaver.Generators;

namespace Weaver.Analyzers.Tests.Infrastructure;

/// <summary>
/// Compiles C# files the way a project with the Weaver package does — Weaver's generator with the other generators the
/// project gets, then every Weaver analyzer — and returns every diagnostic: the compiler's, the generators' and the
/// analyzers'.
/// </summary>
internal static class WeaverCompilation
{
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    /// <summary>Every analyzer the package ships: each public analyzer type of Weaver.Analyzers.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers { get; } = typeof(WeaverAnalyzer).Assembly.GetTypes()
        .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type) && type.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!)
        .ToImmutableArray();

    /// <summary>
    /// Compiles a project of the repository as its real build does (<see cref="BuildInputs"/>: its packages, project
    /// references, targeting packs, their source generators and the SDK's global usings), with Weaver's generator and
    /// analyzers from this test.
    /// </summary>
    /// <param name="projectFolder">The project's folder, relative to the repository root.</param>
    /// <param name="outputKind">A library, or an executable for a project with top-level statements.</param>
    /// <param name="extraSources">Files compiled with the project's own, by path.</param>
    public static Task<ImmutableArray<Diagnostic>> ProjectDiagnosticsAsync(
        string projectFolder, OutputKind outputKind, IEnumerable<(string Path, string Text)>? extraSources = null)
    {
        var inputs = BuildInputs.For(Path.Combine(RepositoryFiles.Root, projectFolder));
        var sources = RepositoryFiles.CSharpFiles(projectFolder)
            .Concat(extraSources ?? [])
            .Append(("GlobalUsings.g.cs", inputs.GlobalUsings));
        return RunAsync(sources, Path.GetFileName(projectFolder), outputKind, inputs.References, inputs.Generators);
    }

    /// <summary>
    /// Compiles a few files as a project with the Weaver package and the SDK's implicit usings, and nothing else.
    /// </summary>
    /// <param name="sources">The files, by path.</param>
    /// <param name="rootNamespace">The project's root namespace (where the generated <c>WeaverHandlers</c> goes).</param>
    /// <param name="outputKind">A library, or an executable for a project with top-level statements.</param>
    /// <param name="referenceWeaver">Whether the code uses the Weaver runtime (false when it is the runtime).</param>
    public static Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(
        IEnumerable<(string Path, string Text)> sources, string rootNamespace, OutputKind outputKind, bool referenceWeaver)
    {
        var references = referenceWeaver
            ? WeaverReferences.All
            : WeaverReferences.All.Where(reference => !string.Equals(
                Path.GetFileName(reference.Display), Path.GetFileName(typeof(TaskMachineAttribute).Assembly.Location), StringComparison.Ordinal));
        return RunAsync(sources.Append(("GlobalUsings.g.cs", ImplicitUsings)), rootNamespace, outputKind, references, []);
    }

    private static async Task<ImmutableArray<Diagnostic>> RunAsync(
        IEnumerable<(string Path, string Text)> sources, string rootNamespace, OutputKind outputKind,
        IEnumerable<MetadataReference> references, IEnumerable<ISourceGenerator> generators)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = sources.Select(source => CSharpSyntaxTree.ParseText(source.Text, parseOptions, source.Path));
        var compilation = CSharpCompilation.Create(
            "Checked",
            trees,
            references,
            new CSharpCompilationOptions(outputKind, nullableContextOptions: NullableContextOptions.Enable));

        var options = new Weaver.Generators.Tests.Infrastructure.RootNamespaceOptions(rootNamespace);
        CSharpGeneratorDriver.Create(generators.Prepend(new TaskMachineGenerator().AsSourceGenerator()), parseOptions: parseOptions, optionsProvider: options)
            .RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorDiagnostics);
        var analyzed = await generated.WithAnalyzers(AllAnalyzers, new AnalyzerOptions([], options)).GetAllDiagnosticsAsync();
        return generatorDiagnostics.AddRange(analyzed);
    }
}
