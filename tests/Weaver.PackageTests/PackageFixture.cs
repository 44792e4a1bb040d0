using System.Globalization;

namespace Weaver.PackageTests;

/// <summary>
/// Packs <c>src/Weaver</c> once per test run, with a version no cache can already hold, into a temporary feed,
/// and gives every consumer project the same isolated NuGet packages folder.
/// </summary>
public sealed class PackageFixture : IDisposable
{
    /// <summary>Arguments that keep MSBuild nodes and the compiler server from outliving a child build.</summary>
    public static readonly string[] NoLingeringProcesses = ["-nodeReuse:false", "-p:UseSharedCompilation=false"];

    public PackageFixture()
    {
        RepositoryRoot = PackageTests.RepositoryRoot.Find();
        Version = string.Create(
            CultureInfo.InvariantCulture,
            $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}");
        WorkRoot = Path.Combine(Path.GetTempPath(), $"weaver-package-tests-{Guid.NewGuid():N}");
        FeedDirectory = Directory.CreateDirectory(Path.Combine(WorkRoot, "feed")).FullName;
        PackagesDirectory = Directory.CreateDirectory(Path.Combine(WorkRoot, "packages")).FullName;
        var artifacts = Path.Combine(WorkRoot, "pack-artifacts");

        try
        {
            // --artifacts-path keeps the pack's bin/obj out of the repository, so it neither reuses nor
            // disturbs the output of a build that runs alongside.
            PackResult = ProcessRunner.Dotnet(
                RepositoryRoot,
                [
                    "pack", Path.Combine(RepositoryRoot, "src", "Weaver", "Weaver.csproj"),
                    "-c", "Release",
                    "-o", FeedDirectory,
                    $"-p:Version={Version}",
                    "--artifacts-path", artifacts,
                    .. NoLingeringProcesses,
                ]);

            PackagePath = Path.Combine(FeedDirectory, $"Weaver.{Version}.nupkg");
            if (PackResult.ExitCode != 0 || !File.Exists(PackagePath))
            {
                throw new InvalidOperationException(
                    $"Packing Weaver failed; expected {PackagePath}.{Environment.NewLine}{PackResult.Describe()}");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string RepositoryRoot { get; }

    /// <summary>The unique version this run packed, e.g. <c>0.1.0-test.20250101120000.4242</c>.</summary>
    public string Version { get; }

    /// <summary>The temporary folder that holds the feed, the packages folder and every consumer.</summary>
    public string WorkRoot { get; }

    public string FeedDirectory { get; }

    /// <summary>The consumers' own NuGet packages folder (NUGET_PACKAGES), never the user's global cache.</summary>
    public string PackagesDirectory { get; }

    public string PackagePath { get; } = "";

    internal ProcessResult PackResult { get; } = null!;

    /// <summary>
    /// Writes a new console project in its own folder under <see cref="WorkRoot"/>: its own NuGet.config,
    /// empty Directory.Build.* files that stop MSBuild from looking further up, and one PackageReference.
    /// </summary>
    public ConsumerProject CreateConsumer(string name, IReadOnlyDictionary<string, string> sources)
    {
        var directory = Directory.CreateDirectory(Path.Combine(WorkRoot, "consumers", name)).FullName;

        File.WriteAllText(Path.Combine(directory, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="weaver-test-feed" value="{FeedDirectory}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, $"{name}.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">

              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>

              <ItemGroup>
                <PackageReference Include="Weaver" Version="{Version}" />
              </ItemGroup>

            </Project>
            """);

        foreach (var (fileName, text) in sources)
        {
            File.WriteAllText(Path.Combine(directory, fileName), text);
        }

        return new ConsumerProject(this, directory);
    }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(WorkRoot))
            {
                Directory.Delete(WorkRoot, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Leaving a temp folder behind must not fail the run; say where it is.
            Console.Error.WriteLine($"Could not delete {WorkRoot}: {e.Message}");
        }
    }
}

/// <summary>A consumer project on disk, built and run with the fixture's isolated packages folder.</summary>
public sealed class ConsumerProject(PackageFixture fixture, string directory)
{
    public string Directory { get; } = directory;

    private Dictionary<string, string> Environment => new()
    {
        ["NUGET_PACKAGES"] = fixture.PackagesDirectory,
    };

    internal ProcessResult Build() =>
        ProcessRunner.Dotnet(Directory, ["build", .. PackageFixture.NoLingeringProcesses], Environment);

    internal ProcessResult RunWithoutBuilding() =>
        ProcessRunner.Dotnet(Directory, ["run", "--no-build"], Environment);
}
