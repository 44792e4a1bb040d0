using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Weaver.Analyzers.Tests.Infrastructure;

/// <summary>
/// Loads the source generators of analyzer assemblies the way the compiler does: each folder in its own load context
/// (two packages may ship different versions of one generator), with Roslyn and the framework shared with the test.
/// Each file is loaded once per test run.
/// </summary>
internal static class AnalyzerAssemblies
{
    private static readonly ConcurrentDictionary<string, Lazy<ImmutableArray<ISourceGenerator>>> Generators = new(StringComparer.Ordinal);
    private static readonly FolderLoader Loader = new();

    /// <summary>The C# source generators in the analyzer assembly at <paramref name="path"/>; none for a helper library.</summary>
    public static ImmutableArray<ISourceGenerator> SourceGenerators(string path) =>
        Generators.GetOrAdd(path, key => new Lazy<ImmutableArray<ISourceGenerator>>(() => Load(key))).Value;

    private static ImmutableArray<ISourceGenerator> Load(string path)
    {
        var failures = new List<string>();
        var reference = new AnalyzerFileReference(path, Loader);
        reference.AnalyzerLoadFailed += (_, failure) => failures.Add($"{failure.ErrorCode}: {failure.Message} {failure.Exception}");
        var generators = reference.GetGenerators(LanguageNames.CSharp);
        if (failures.Count > 0)
        {
            throw new InvalidOperationException($"The analyzer assembly {path} did not load: {string.Join("; ", failures)}");
        }

        return generators;
    }

    private sealed class FolderLoader : IAnalyzerAssemblyLoader
    {
        private readonly ConcurrentDictionary<string, FolderContext> _contexts = new(StringComparer.Ordinal);

        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) =>
            _contexts.GetOrAdd(Path.GetDirectoryName(fullPath)!, folder => new FolderContext(folder)).LoadFromAssemblyPath(fullPath);
    }

    private sealed class FolderContext(string folder) : AssemblyLoadContext("analyzers " + folder)
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            // Roslyn's and the framework's types are the compiler's own: a second copy would not be the same type.
            if (assemblyName.Name is null || assemblyName.Name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)
                || assemblyName.Name.StartsWith("System.", StringComparison.Ordinal))
            {
                return null;
            }

            var candidate = Path.Combine(folder, assemblyName.Name + ".dll");
            return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
        }
    }
}
