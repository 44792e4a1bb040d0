using System.Text.Json;

namespace Weaver.Analyzers.Tests.Infrastructure;

/// <summary>
/// What NuGet restore resolved for a project (<c>obj/project.assets.json</c>): its target framework, the packages and
/// projects it references, directly or not, and the framework references it declared.
/// </summary>
internal sealed class ProjectAssets
{
    private ProjectAssets(string projectFolder, string targetFramework, IReadOnlyList<string> packageFolders, IReadOnlyList<ResolvedPackage> packages,
        IReadOnlyList<ResolvedProject> projects, IReadOnlyList<string> frameworkReferences, string sdkFolder)
    {
        ProjectFolder = projectFolder;
        PackageFolders = packageFolders;
        TargetFramework = targetFramework;
        Packages = packages;
        Projects = projects;
        FrameworkReferences = frameworkReferences;
        SdkFolder = sdkFolder;
    }

    public string ProjectFolder { get; }

    /// <summary>The target framework's short name, e.g. <c>net10.0</c>.</summary>
    public string TargetFramework { get; }

    /// <summary>Where restore looks for extracted packages (the global packages folder first).</summary>
    public IReadOnlyList<string> PackageFolders { get; }

    public IReadOnlyList<ResolvedPackage> Packages { get; }

    public IReadOnlyList<ResolvedProject> Projects { get; }

    /// <summary>Shared frameworks the project compiles against (<c>Microsoft.NETCore.App</c> and any it added).</summary>
    public IReadOnlyList<string> FrameworkReferences { get; }

    /// <summary>The folder of the .NET SDK that restored the project.</summary>
    public string SdkFolder { get; }

    public static ProjectAssets Read(string projectFolder)
    {
        var path = Path.Combine(projectFolder, "obj", "project.assets.json");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{path} does not exist: restore or build '{projectFolder}' first (the test project references every sample, so building it restores them).");
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        var targets = root.GetProperty("targets").EnumerateObject().ToList();
        if (targets.Count != 1)
        {
            throw new InvalidOperationException(
                $"{path} has {targets.Count} targets ({string.Join(", ", targets.Select(t => t.Name))}); only a project with exactly one target framework (and no runtime identifier) can be checked.");
        }

        var targetFramework = ShortName(targets[0].Name);
        var packageFolders = root.GetProperty("packageFolders").EnumerateObject().Select(folder => folder.Name).ToList();
        var libraries = root.GetProperty("libraries");
        var packages = new List<ResolvedPackage>();
        var projects = new List<ResolvedProject>();
        foreach (var entry in targets[0].Value.EnumerateObject())
        {
            var library = libraries.GetProperty(entry.Name);
            var compile = entry.Value.TryGetProperty("compile", out var assets)
                ? assets.EnumerateObject().Select(asset => asset.Name).Where(name => !name.EndsWith("_._", StringComparison.Ordinal)).ToList()
                : [];
            switch (entry.Value.GetProperty("type").GetString())
            {
                case "package":
                    var relative = library.GetProperty("path").GetString()!;
                    var folder = packageFolders.Select(packageFolder => Path.Combine(packageFolder, relative)).FirstOrDefault(Directory.Exists)
                        ?? throw new InvalidOperationException($"Package '{entry.Name}' of {path} is in none of its package folders ({string.Join(", ", packageFolders)}); restore again.");
                    var files = library.GetProperty("files").EnumerateArray().Select(file => file.GetString()!).ToList();
                    packages.Add(new ResolvedPackage(entry.Name, folder, compile, files));
                    break;
                case "project":
                    var projectPath = Path.GetFullPath(Path.Combine(projectFolder, library.GetProperty("path").GetString()!));
                    var framework = entry.Value.GetProperty("framework").GetString()!;
                    projects.Add(new ResolvedProject(projectPath, ShortName(framework), compile.Select(Path.GetFileName).ToList()!));
                    break;
            }
        }

        var restored = root.GetProperty("project").GetProperty("frameworks").EnumerateObject().Single().Value;
        var frameworkReferences = restored.TryGetProperty("frameworkReferences", out var declared)
            ? declared.EnumerateObject().Select(reference => reference.Name).ToList()
            : [];
        if (!frameworkReferences.Contains("Microsoft.NETCore.App", StringComparer.Ordinal))
        {
            frameworkReferences.Insert(0, "Microsoft.NETCore.App");
        }

        var sdkFolder = Path.GetDirectoryName(restored.GetProperty("runtimeIdentifierGraphPath").GetString())!;
        return new ProjectAssets(projectFolder, targetFramework, packageFolders, packages, projects, frameworkReferences, sdkFolder);
    }

    /// <summary><c>.NETCoreApp,Version=v10.0</c> → <c>net10.0</c>, <c>.NETStandard,Version=v2.0</c> → <c>netstandard2.0</c>.</summary>
    private static string ShortName(string framework)
    {
        var parts = framework.Split(",Version=v");
        return parts switch
        {
            [".NETCoreApp", var version] => "net" + version,
            [".NETStandard", var version] => "netstandard" + version,
            [var shortName] => shortName,
            _ => throw new InvalidOperationException($"Unknown target framework '{framework}': only .NETCoreApp and .NETStandard are supported."),
        };
    }
}

/// <param name="Id">The package's <c>name/version</c>.</param>
/// <param name="Folder">Where it was extracted.</param>
/// <param name="Compile">Its compile-time assemblies for the project's framework, relative to <paramref name="Folder"/>.</param>
/// <param name="Files">Every file of the package, relative to <paramref name="Folder"/>.</param>
internal sealed record ResolvedPackage(string Id, string Folder, IReadOnlyList<string> Compile, IReadOnlyList<string> Files);

/// <param name="ProjectPath">The referenced project file.</param>
/// <param name="TargetFramework">The framework of it that the referencing project uses.</param>
/// <param name="Assemblies">The file names of the assemblies it builds.</param>
internal sealed record ResolvedProject(string ProjectPath, string TargetFramework, IReadOnlyList<string> Assemblies);
