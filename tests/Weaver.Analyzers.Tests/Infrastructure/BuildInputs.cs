using System.Collections.Immutable;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;

namespace Weaver.Analyzers.Tests.Infrastructure;

/// <summary>
/// What the real build of a project passes the compiler besides its own files: the reference assemblies of its shared
/// frameworks, of its packages and of the projects it references; the source generators its packages and its
/// targeting packs ship (the logging and JSON generators among them); and the SDK's generated global usings.
/// Read from the project's restore output, the SDK and the referenced projects' build output, all of the configuration
/// this test was built in.
/// </summary>
internal sealed partial class BuildInputs
{
    private BuildInputs(ImmutableArray<MetadataReference> references, ImmutableArray<ISourceGenerator> generators, string globalUsings)
    {
        References = references;
        Generators = generators;
        GlobalUsings = globalUsings;
    }

    public ImmutableArray<MetadataReference> References { get; }

    /// <summary>The packages' and frameworks' generators (Weaver's own generator is not among them: it is the test's).</summary>
    public ImmutableArray<ISourceGenerator> Generators { get; }

    /// <summary>The text of the <c>GlobalUsings.g.cs</c> the SDK wrote for the project.</summary>
    public string GlobalUsings { get; }

    /// <summary>The configuration (Debug, Release) this test was built in, which is the one its projects were built in.</summary>
    public static string Configuration { get; } = typeof(BuildInputs).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "Configuration").Value!;

    public static BuildInputs For(string projectFolder)
    {
        var assets = ProjectAssets.Read(projectFolder);
        var references = new List<string>();
        var analyzers = new List<string>();
        foreach (var pack in assets.FrameworkReferences.Select(name => TargetingPack.Find(assets, name)))
        {
            references.AddRange(pack.References);
            analyzers.AddRange(pack.Analyzers);
        }

        foreach (var package in assets.Packages)
        {
            references.AddRange(package.Compile.Select(file => Path.Combine(package.Folder, file)));
            analyzers.AddRange(PackageAnalyzers(package).Select(file => Path.Combine(package.Folder, file)));
        }

        references.AddRange(assets.Projects.SelectMany(ProjectOutput));
        var generators = analyzers.SelectMany(path => AnalyzerAssemblies.SourceGenerators(path)).ToImmutableArray();
        return new BuildInputs(
            references.Distinct(StringComparer.Ordinal).Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToImmutableArray(),
            generators,
            File.ReadAllText(GlobalUsingsFile(assets)));
    }

    /// <summary>
    /// The SDK's choice among a package's analyzers (ResolvePackageAssets): C# or language-neutral assemblies under
    /// <c>analyzers/dotnet</c>; where the package has <c>roslynX.Y</c> folders, only the highest the compiler supports.
    /// </summary>
    private static IEnumerable<string> PackageAnalyzers(ResolvedPackage package)
    {
        var candidates = package.Files
            .Select(file => AnalyzerPath().Match(file))
            .Where(match => match.Success && !match.Value.EndsWith(".resources.dll", StringComparison.OrdinalIgnoreCase)
                && (!match.Groups["language"].Success || match.Groups["language"].Value == "cs"))
            .Select(match => (Path: match.Value, Roslyn: match.Groups["roslyn"].Success ? Version.Parse(match.Groups["roslyn"].Value) : null))
            .ToList();
        if (candidates.All(candidate => candidate.Roslyn is null))
        {
            return candidates.Select(candidate => candidate.Path);
        }

        var compiler = typeof(Compilation).Assembly.GetName().Version!;
        var chosen = candidates.Where(candidate => candidate.Roslyn is not null && candidate.Roslyn <= compiler).Select(candidate => candidate.Roslyn).Max();
        return candidates.Where(candidate => candidate.Roslyn == chosen).Select(candidate => candidate.Path);
    }

    [GeneratedRegex(@"^analyzers/dotnet/(roslyn(?<roslyn>\d+\.\d+)/)?((?<language>cs|vb|fs)/)?[^/]+\.dll$", RegexOptions.IgnoreCase)]
    private static partial Regex AnalyzerPath();

    private static IEnumerable<string> ProjectOutput(ResolvedProject project)
    {
        var output = Path.Combine(Path.GetDirectoryName(project.ProjectPath)!, "bin", Configuration, project.TargetFramework);
        foreach (var assembly in project.Assemblies)
        {
            var path = Path.Combine(output, assembly);
            yield return File.Exists(path)
                ? path
                : throw new InvalidOperationException($"{path} does not exist: build {project.ProjectPath} in {Configuration} first.");
        }
    }

    private static string GlobalUsingsFile(ProjectAssets assets)
    {
        var intermediate = Path.Combine(assets.ProjectFolder, "obj", Configuration, assets.TargetFramework);
        var files = Directory.Exists(intermediate) ? Directory.GetFiles(intermediate, "*.GlobalUsings.g.cs") : [];
        return files.Length == 1
            ? files[0]
            : throw new InvalidOperationException($"Expected one *.GlobalUsings.g.cs in {intermediate}, found {files.Length}: build {assets.ProjectFolder} in {Configuration} first.");
    }

    /// <summary>A shared framework's targeting pack, as the SDK that restored the project resolves it.</summary>
    private sealed record TargetingPack(IReadOnlyList<string> References, IReadOnlyList<string> Analyzers)
    {
        public static TargetingPack Find(ProjectAssets assets, string frameworkReference)
        {
            var versions = Path.Combine(assets.SdkFolder, "Microsoft.NETCoreSdk.BundledVersions.props");
            var known = XDocument.Load(versions).Descendants()
                .Where(element => element.Name.LocalName == "KnownFrameworkReference"
                    && (string?)element.Attribute("Include") == frameworkReference
                    && (string?)element.Attribute("TargetFramework") == assets.TargetFramework
                    && element.Attribute("Profile") is null)
                .ToList();
            if (known.Count != 1)
            {
                throw new InvalidOperationException($"{versions} has {known.Count} KnownFrameworkReference for {frameworkReference} on {assets.TargetFramework}; expected one.");
            }

            var name = (string)known[0].Attribute("TargetingPackName")!;
            var version = (string)known[0].Attribute("TargetingPackVersion")!;
            var dotnetRoot = Path.GetFullPath(Path.Combine(assets.SdkFolder, "..", ".."));
            var folder = assets.PackageFolders.Select(packages => Path.Combine(packages, name.ToLowerInvariant(), version))
                .Prepend(Path.Combine(dotnetRoot, "packs", name, version))
                .FirstOrDefault(Directory.Exists)
                ?? throw new InvalidOperationException($"The targeting pack {name} {version} is neither in {dotnetRoot}/packs nor in the package folders.");
            return new TargetingPack(
                Directory.GetFiles(Path.Combine(folder, "ref", assets.TargetFramework), "*.dll").Order(StringComparer.Ordinal).ToList(),
                Directory.Exists(Path.Combine(folder, "analyzers", "dotnet", "cs"))
                    ? Directory.GetFiles(Path.Combine(folder, "analyzers", "dotnet", "cs"), "*.dll").Order(StringComparer.Ordinal).ToList()
                    : []);
        }
    }
}
