namespace Weaver.PackageTests;

internal static class RepositoryRoot
{
    /// <summary>The folder holding <c>Weaver.sln</c>, found by walking up from the test assembly.</summary>
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Weaver.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above '{AppContext.BaseDirectory}' contains Weaver.sln.");
    }
}
