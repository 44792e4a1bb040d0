using Weaver.Sqlite;

namespace Weaver.Cli.Tests;

/// <summary>A folder of the test's own under the system's temporary folder, deleted with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("weaver-cli-").FullName;

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>A Weaver SQLite store with nothing in it, <c>empty.db</c> in the folder.</summary>
    /// <returns>Its path.</returns>
    public async Task<string> EmptyStoreAsync()
    {
        var path = System.IO.Path.Combine(Path, "empty.db");
        await (await SqliteWeaverStore.OpenAsync(new SqliteStoreOptions { Path = path })).DisposeAsync();
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
