namespace Weaver.Testing.Postgres;

/// <summary>A folder holding PostgreSQL's server programs: <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>.</summary>
public sealed record PostgresBinaries(string Directory, string FoundBy)
{
    /// <summary>Names the folder to use, instead of searching. A folder without the programs is not searched past.</summary>
    public const string BinVariable = "PG_BIN";

    private static readonly string[] Programs = ["initdb", "pg_ctl", "postgres"];

    public string InitDb => Program("initdb");

    public string PgCtl => Program("pg_ctl");

    public override string ToString() => $"{Directory} (found by {FoundBy})";

    /// <summary>
    /// Searches, in order: <c>PG_BIN</c>; <c>pg_config --bindir</c>; the highest version of
    /// <c>/usr/lib/postgresql/*/bin</c> (Debian, Ubuntu) and <c>/usr/pgsql-*/bin</c> (RHEL); then <c>PATH</c>.
    /// </summary>
    public static PostgresBinariesLookup Locate()
    {
        var searched = new List<string>();

        var pgBin = Environment.GetEnvironmentVariable(BinVariable);
        if (!string.IsNullOrWhiteSpace(pgBin))
        {
            var missing = MissingPrograms(pgBin);
            if (missing.Count == 0)
            {
                return new PostgresBinariesLookup(new PostgresBinaries(Path.GetFullPath(pgBin), BinVariable), [$"{BinVariable}={pgBin}"]);
            }

            searched.Add($"{BinVariable}={pgBin} (lacks {string.Join(", ", missing)}; set it to a folder with all of "
                + $"{string.Join(", ", Programs)} or unset it)");
            return new PostgresBinariesLookup(null, searched);
        }

        searched.Add($"{BinVariable} (not set)");

        var fromPgConfig = FromPgConfig(out var pgConfigNote);
        searched.Add(pgConfigNote);
        if (fromPgConfig is not null)
        {
            return new PostgresBinariesLookup(fromPgConfig, searched);
        }

        foreach (var (root, prefix, pattern) in new[]
                 {
                     ("/usr/lib/postgresql", "", "/usr/lib/postgresql/*/bin"),
                     ("/usr", "pgsql-", "/usr/pgsql-*/bin"),
                 })
        {
            var found = HighestVersion(root, prefix);
            searched.Add(found is null ? $"{pattern} (none with {string.Join(", ", Programs)})" : pattern);
            if (found is not null)
            {
                return new PostgresBinariesLookup(new PostgresBinaries(found, pattern), searched);
            }
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => MissingPrograms(d).Count == 0);
        searched.Add(onPath is null ? "PATH (no folder with initdb, pg_ctl and postgres)" : "PATH");
        return new PostgresBinariesLookup(onPath is null ? null : new PostgresBinaries(onPath, "PATH"), searched);
    }

    private string Program(string name) => Path.Combine(Directory, OperatingSystem.IsWindows() ? name + ".exe" : name);

    private static List<string> MissingPrograms(string directory) =>
        Programs.Where(p => !File.Exists(Path.Combine(directory, OperatingSystem.IsWindows() ? p + ".exe" : p))).ToList();

    private static PostgresBinaries? FromPgConfig(out string note)
    {
        ProcessResult result;
        try
        {
            result = ProcessRunner.RunAsync("pg_config", ["--bindir"], TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        }
        catch (PostgresClusterException)
        {
            note = "pg_config --bindir (pg_config not on PATH)";
            return null;
        }

        var directory = result.StandardOutput.Trim();
        if (!result.Succeeded || directory.Length == 0)
        {
            note = $"pg_config --bindir (failed with code {result.ExitCode})";
            return null;
        }

        var missing = MissingPrograms(directory);
        if (missing.Count > 0)
        {
            // Client-only installs ship pg_config without the server programs.
            note = $"pg_config --bindir = {directory} (lacks {string.Join(", ", missing)})";
            return null;
        }

        note = $"pg_config --bindir = {directory}";
        return new PostgresBinaries(directory, "pg_config --bindir");
    }

    private static string? HighestVersion(string root, string prefix)
    {
        if (!System.IO.Directory.Exists(root))
        {
            return null;
        }

        return System.IO.Directory.EnumerateDirectories(root, prefix + "*")
            .Select(d => (Bin: Path.Combine(d, "bin"), Version: ParseVersion(Path.GetFileName(d)[prefix.Length..])))
            .Where(c => c.Version is not null && MissingPrograms(c.Bin).Count == 0)
            .OrderByDescending(c => c.Version)
            .Select(c => c.Bin)
            .FirstOrDefault();
    }

    private static Version? ParseVersion(string text) =>
        Version.TryParse(text.Contains('.', StringComparison.Ordinal) ? text : text + ".0", out var version) ? version : null;
}

/// <summary>What a search for PostgreSQL's binaries found, and every place it looked.</summary>
public sealed record PostgresBinariesLookup(PostgresBinaries? Binaries, IReadOnlyList<string> Searched)
{
    public string DescribeSearch() => string.Join("; ", Searched);
}
