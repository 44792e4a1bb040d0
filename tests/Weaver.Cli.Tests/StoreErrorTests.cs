using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Weaver.Sqlite;

namespace Weaver.Cli.Tests;

/// <summary>A store that cannot be read exits 3 with a message that names it and says what to do, and is left as it was.</summary>
public sealed class StoreErrorTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string _folder;

    public StoreErrorTests() => _folder = _temp.Path;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_missing_store_file_exits_3_names_the_path_and_is_not_created()
    {
        var path = Path.Combine(_folder, "missing.db");

        var run = await WeaverCli.RunAsync("jobs", "--sqlite", path);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Equal("", run.Out);
        Assert.Contains($"No SQLite store at '{path}': the file does not exist.", run.Error, StringComparison.Ordinal);
        Assert.Contains("never creates one", run.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public async Task A_relative_path_is_taken_from_the_current_folder()
    {
        var run = await WeaverCli.RunAsync(["leases", "--sqlite", "here.db"], new Dictionary<string, string>(), workingDirectory: _folder);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains($"'{Path.Combine(_folder, "here.db")}'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_sqlite_exits_3()
    {
        var path = Path.Combine(_folder, "notes.txt");
        await File.WriteAllTextAsync(path, "these are notes, not a database; padded to more than a SQLite header's hundred bytes of text....");

        var run = await WeaverCli.RunAsync("leases", "--sqlite", path);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains($"'{path}' is not a SQLite database", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sqlite_database_that_is_not_a_weaver_store_exits_3_and_is_left_as_it_was()
    {
        var path = Path.Combine(_folder, "other.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE invoices (id INTEGER PRIMARY KEY)";
            await create.ExecuteNonQueryAsync();
        }

        var before = await File.ReadAllBytesAsync(path);
        var run = await WeaverCli.RunAsync("locks", "--sqlite", path);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains(
            $"'{path}' is a SQLite database but not a Weaver store: it lacks the table(s) schema_version, tasks, jobs, resource_locks (its tables are invoices)",
            run.Error,
            StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
        Assert.Equal(["other.db"], Directory.EnumerateFileSystemEntries(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_folder_given_as_the_store_exits_3()
    {
        var run = await WeaverCli.RunAsync("jobs", "--sqlite", _folder);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains($"'{_folder}' is a folder; --sqlite takes the store's database file", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_postgres_server_exits_3_without_printing_the_password()
    {
        var port = ClosedPort();

        var run = await WeaverCli.RunAsync("jobs", "--postgres", $"Host=127.0.0.1;Port={port};Username=weaver;Password=s3cret-pass;Timeout=5");

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains($"Cannot reach the PostgreSQL server at 127.0.0.1:{port}", run.Error, StringComparison.Ordinal);
        Assert.Contains("Check that the server is up", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pass", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_whose_document_cannot_be_read_is_listed_with_the_reason_and_its_status_exits_3()
    {
        var path = await _temp.EmptyStoreAsync();
        await using (var store = await SqliteWeaverStore.OpenAsync(new SqliteStoreOptions { Path = path }))
        {
            await store.CreateJobAsync(new NewJob("broken-1", "Running", "{ this is not a job document"));
        }

        var jobs = await WeaverCli.RunAsync("jobs", "--sqlite", path);
        var json = await WeaverCli.RunAsync("jobs", "--sqlite", path, "--json");
        var status = await WeaverCli.RunAsync("status", "broken-1", "--sqlite", path);

        Assert.True(jobs.ExitCode == 0, jobs.ToString());
        Assert.Contains(jobs.Out.Split('\n'), line => line.Contains("broken-1", StringComparison.Ordinal) && line.Contains("unreadable", StringComparison.Ordinal));
        var job = Assert.Single(json.Json().GetProperty("jobs").EnumerateArray());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, job.GetProperty("tasks").ValueKind);
        Assert.StartsWith("Row 'broken-1' of 'jobs' cannot be read", job.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(status.ExitCode == 3, status.ToString());
        Assert.Contains($"the SQLite store '{path}' has a row this weaver cannot read: Row 'broken-1' of 'jobs'", status.Error, StringComparison.Ordinal);
    }

    /// <summary>A loopback port nothing listens on: one the system just handed out and that was closed again.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
