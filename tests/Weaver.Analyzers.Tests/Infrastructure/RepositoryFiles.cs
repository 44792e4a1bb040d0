namespace Weaver.Analyzers.Tests.Infrastructure;

/// <summary>The repository's own C# files, found from the test's output folder.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    /// <summary>The C# files under <paramref name="folder"/>, build output excluded, with repository-relative paths.</summary>
    public static IEnumerable<(string Path, string Text)> CSharpFiles(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .Select(path => (Path.GetRelativePath(Root, path), File.ReadAllText(path)));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Weaver.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Weaver.sln above {AppContext.BaseDirectory}.");
    }
}
