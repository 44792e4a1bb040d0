namespace Weaver.Generators.Tests.Infrastructure;

/// <summary>
/// Expected generator output, kept as files in <c>Snapshots/</c>. Set <c>WEAVER_UPDATE_SNAPSHOTS=1</c> to rewrite
/// them from the generator's current output, then review the diff before committing.
/// </summary>
internal static class Snapshots
{
    public static bool Updating => Environment.GetEnvironmentVariable("WEAVER_UPDATE_SNAPSHOTS") == "1";

    /// <summary>Reads the copy placed beside the test assembly (source paths are mapped away in CI builds).</summary>
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Snapshots", name));

    public static void Write(string name, string content) =>
        File.WriteAllText(Path.Combine(RepositoryRoot(), "tests", "Weaver.Generators.Tests", "Snapshots", name), content);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Weaver.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Weaver.sln not found above " + AppContext.BaseDirectory);
    }
}
