using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Weaver.Analyzers.Infrastructure;
using Weaver.Generators;

namespace Weaver.Analyzers.Tests.Infrastructure;

/// <summary>
/// Compiles C# files the way a project with the Weaver package does — the .NET SDK's implicit usings, Weaver's
/// generator, then every Weaver analyzer — and returns every diagnostic: the compiler's, the generator's and the
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

    /// <param name="sources">The files, by path.</param>
    /// <param name="rootNamespace">The project's root namespace (where the generated <c>WeaverHandlers</c> goes).</param>
    /// <param name="outputKind">A library, or an executable for a project with top-level statements.</param>
    /// <param name="referenceWeaver">Whether the code uses the Weaver runtime (false when it is the runtime).</param>
    /// <param name="moreReferences">Other libraries the code uses (a sample's stores and console library).</param>
    public static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(
        IEnumerable<(string Path, string Text)> sources, string rootNamespace, OutputKind outputKind, bool referenceWeaver, IEnumerable<MetadataReference>? moreReferences = null)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = sources
            .Select(source => CSharpSyntaxTree.ParseText(source.Text, parseOptions, source.Path))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, parseOptions, "GlobalUsings.g.cs"));
        var references = referenceWeaver
            ? WeaverReferences.All
            : WeaverReferences.All.Where(reference => !string.Equals(
                Path.GetFileName(reference.Display), Path.GetFileName(typeof(TaskMachineAttribute).Assembly.Location), StringComparison.Ordinal));
        var compilation = CSharpCompilation.Create(
            "Checked",
            trees,
            references.Concat(moreReferences ?? []),
            new CSharpCompilationOptions(outputKind, nullableContextOptions: NullableContextOptions.Enable));

        var options = new Weaver.Generators.Tests.Infrastructure.RootNamespaceOptions(rootNamespace);
        CSharpGeneratorDriver.Create([new TaskMachineGenerator().AsSourceGenerator()], parseOptions: parseOptions, optionsProvider: options)
            .RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorDiagnostics);
        var analyzed = await generated.WithAnalyzers(AllAnalyzers, new AnalyzerOptions([], options)).GetAllDiagnosticsAsync();
        return generatorDiagnostics.AddRange(analyzed);
    }
}
