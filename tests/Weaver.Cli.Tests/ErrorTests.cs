using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Weaver.Sqlite;

namespace Weaver.Cli.Tests;

/// <summary>Every way to get the command line or the store wrong gives a message that says what to do, and its exit code.</summary>
public sealed class ErrorTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("weaver-cli-errors-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

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

    [Theory]
    [InlineData("No store given: pass --sqlite PATH", new[] { "jobs" })]
    [InlineData("Both --sqlite and --postgres were given", new[] { "jobs", "--sqlite", "a.db", "--postgres", "Host=db" })]
    [InlineData("--schema names a PostgreSQL schema; it does not apply to a SQLite store", new[] { "leases", "--sqlite", "a.db", "--schema", "ops" })]
    [InlineData("Schema must be a lowercase PostgreSQL identifier", new[] { "leases", "--postgres", "Host=db", "--schema", "Ops-Team" })]
    [InlineData("--sqlite was given an empty value", new[] { "jobs", "--sqlite", "" })]
    [InlineData("JOB is empty", new[] { "status", " ", "--sqlite", "a.db" })]
    [InlineData("Required argument missing for command: 'status'", new[] { "status", "--sqlite", "a.db" })]
    [InlineData("Run 'weaver status --help' for usage.", new[] { "status", "--sqlite", "a.db" })]
    [InlineData("Unrecognized command or argument 'stats'", new[] { "stats", "build-42" })]
    [InlineData("Unrecognized command or argument '--machine'", new[] { "graph", "build-42", "--machine", "Review" })]
    [InlineData("Required argument missing for option: '--sqlite'", new[] { "jobs", "--sqlite" })]
    [InlineData("Required command was not provided", new string[0])]
    public async Task A_usage_error_exits_2_with_its_message(string message, string[] arguments)
    {
        var run = await WeaverCli.RunAsync(arguments);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task The_environment_names_the_store_and_the_command_line_wins_over_it()
    {
        var path = await EmptyStoreAsync();
        var fromEnvironment = await WeaverCli.RunAsync(["jobs"], new Dictionary<string, string> { ["WEAVER_SQLITE"] = path });
        var optionWins = await WeaverCli.RunAsync(["jobs", "--sqlite", path], new Dictionary<string, string> { ["WEAVER_POSTGRES"] = "Host=nowhere" });
        var both = await WeaverCli.RunAsync(["jobs"], new Dictionary<string, string> { ["WEAVER_SQLITE"] = path, ["WEAVER_POSTGRES"] = "Host=nowhere" });

        Assert.True(fromEnvironment.ExitCode == 0, fromEnvironment.ToString());
        Assert.Contains($"No jobs in the SQLite store '{path}'.", fromEnvironment.Out, StringComparison.Ordinal);
        Assert.True(optionWins.ExitCode == 0, optionWins.ToString());
        Assert.True(both.ExitCode == 2, both.ToString());
        Assert.Contains("Both WEAVER_SQLITE and WEAVER_POSTGRES are set", both.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_store_answers_every_list_with_nothing_and_exit_0()
    {
        var path = await EmptyStoreAsync();

        var jobs = await WeaverCli.RunAsync("jobs", "--sqlite", path);
        var leases = await WeaverCli.RunAsync("leases", "--sqlite", path);
        var locks = await WeaverCli.RunAsync("locks", "--sqlite", path);
        var json = await WeaverCli.RunAsync("jobs", "--sqlite", path, "--json");

        Assert.All([jobs, leases, locks, json], run => Assert.True(run.ExitCode == 0, run.ToString()));
        Assert.Contains("No jobs in", jobs.Out, StringComparison.Ordinal);
        Assert.Contains("No running task holds a lease in", leases.Out, StringComparison.Ordinal);
        Assert.Contains("No resource is locked in", locks.Out, StringComparison.Ordinal);
        Assert.Empty(json.Json().GetProperty("jobs").EnumerateArray());
    }

    [Fact]
    public async Task A_job_whose_document_cannot_be_read_is_listed_with_the_reason_and_its_status_exits_3()
    {
        var path = await EmptyStoreAsync();
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

    [Fact]
    public async Task Help_lists_the_commands_and_each_command_has_its_own()
    {
        var root = await WeaverCli.RunAsync("--help");
        var graph = await WeaverCli.RunAsync("graph", "--help");

        Assert.True(root.ExitCode == 0, root.ToString());
        foreach (var command in new[] { "jobs", "status", "explain", "graph", "leases", "locks" })
        {
            Assert.Contains($"  {command}", root.Out, StringComparison.Ordinal);
        }

        Assert.Contains("Exit codes: 0 ok", root.Out, StringComparison.Ordinal);
        Assert.True(graph.ExitCode == 0, graph.ToString());
        Assert.Contains("weaver graph <JOB> [options]", graph.Out, StringComparison.Ordinal);
        Assert.Contains("generated ToMermaid()", graph.Out, StringComparison.Ordinal);
        Assert.Contains("--postgres <CONNECTION_STRING>", graph.Out, StringComparison.Ordinal);
    }

    private async Task<string> EmptyStoreAsync()
    {
        var path = Path.Combine(_folder, "empty.db");
        await (await SqliteWeaverStore.OpenAsync(new SqliteStoreOptions { Path = path })).DisposeAsync();
        return path;
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
