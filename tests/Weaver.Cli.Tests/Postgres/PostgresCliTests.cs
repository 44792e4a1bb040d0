using Npgsql;
using Weaver.PostgreSql;
using Weaver.Stores.Tests.Postgres;

namespace Weaver.Cli.Tests.Postgres;

/// <summary>
/// weaver on a PostgreSQL store in a schema other than the default, filled through the store API and a job run by a
/// coordinator and workers: every command reads it, and a schema or database that is not a store is reported without
/// anything being created. Leases are judged by the database's clock, as weaver judges them.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCliTests(PostgresCluster cluster) : IAsyncLifetime
{
    private const string Schema = "ops";

    /// <summary>The one filled database of the run (xunit makes an instance per test; the cluster is one per run).</summary>
    private static readonly Lock Gate = new();
    private static Task<string>? filled;
    private string _connectionString = null!;

    public async Task InitializeAsync()
    {
        if (!cluster.IsAvailable)
        {
            return; // the tests are skipped, with the reason the fixture gave
        }

        lock (Gate)
        {
            filled ??= FillAsync(cluster);
        }

        _connectionString = await filled;
    }

    private static async Task<string> FillAsync(PostgresCluster cluster)
    {
        var connectionString = await cluster.CreateDatabaseAsync("cli_store");
        await using var store = await PostgreSqlWeaverStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = connectionString, Schema = Schema });
        await JobsStore.RunEndedJobsAsync(store, TimeProvider.System);
        await store.CreateTaskAsync(new NewTask("render-logo", "render", null, RetryPolicy.Default) { Resources = ["assets/logo.png"] });
        Assert.Single(await store.ClaimAsync("worker-a/0", 1, ["render"]));
        return connectionString;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [PostgresFact]
    public async Task Every_command_reads_the_store_in_its_schema()
    {
        var jobs = await RunAsync("jobs", "--json");
        var status = await RunAsync("status", "deploy-7");
        var explain = await RunAsync("explain", "build-42");
        var graph = await RunAsync("graph", "build-42");
        var leases = await RunAsync("leases", "--json");
        var locks = await RunAsync("locks");

        Assert.All([jobs, status, explain, graph, leases, locks], run => Assert.True(run.ExitCode == 0, run.ToString()));
        Assert.Equal(
            [("build-42", "Succeeded"), ("deploy-7", "Failed")],
            jobs.Json().GetProperty("jobs").EnumerateArray().Select(job => (job.GetProperty("id").GetString(), job.GetProperty("state").GetString())));
        Assert.Contains(status.Out.Split('\n'), line => line.StartsWith("│ ship ", StringComparison.Ordinal) && line.Contains("Blocked", StringComparison.Ordinal));
        Assert.StartsWith("Job 'build-42' succeeded", explain.Out, StringComparison.Ordinal);
        Assert.Contains("t1 --> t2", graph.Out, StringComparison.Ordinal);
        var lease = Assert.Single(leases.Json().GetProperty("leases").EnumerateArray());
        Assert.Equal(("render-logo", "worker-a/0", false), (lease.GetProperty("taskId").GetString(), lease.GetProperty("owner").GetString(), lease.GetProperty("stale").GetBoolean()));
        Assert.Contains(locks.Out.Split('\n'), line => line.Contains("assets/logo.png", StringComparison.Ordinal) && line.Contains("render-logo", StringComparison.Ordinal));
    }

    [PostgresFact]
    public async Task The_environment_names_the_connection_and_the_schema()
    {
        var run = await WeaverCli.RunAsync(["jobs"], new Dictionary<string, string>
        {
            ["WEAVER_POSTGRES"] = _connectionString,
            ["WEAVER_POSTGRES_SCHEMA"] = Schema,
        });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("build-42", run.Out, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task A_missing_schema_exits_3_and_is_not_created()
    {
        var run = await WeaverCli.RunAsync("jobs", "--postgres", _connectionString);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("has no schema 'weaver', so no Weaver store there", run.Error, StringComparison.Ordinal);
        Assert.Contains("--schema NAME", run.Error, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM pg_namespace WHERE nspname = 'weaver'"));
    }

    [PostgresFact]
    public async Task A_schema_that_is_not_a_store_exits_3_and_is_left_as_it_was()
    {
        await ScalarAsync("CREATE SCHEMA billing; CREATE TABLE billing.invoices (id int)");

        var run = await WeaverCli.RunAsync("leases", "--postgres", _connectionString, "--schema", "billing");

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("The schema 'billing'", run.Error, StringComparison.Ordinal);
        Assert.Contains("is not a Weaver store: it lacks the table(s) schema_migrations, tasks, jobs, resource_locks (its tables are invoices)", run.Error, StringComparison.Ordinal);
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM pg_tables WHERE schemaname = 'billing'"));
    }

    [PostgresFact]
    public async Task A_database_the_server_refuses_exits_3_with_the_servers_reason()
    {
        var missing = new NpgsqlConnectionStringBuilder(_connectionString) { Database = "no_such_database" }.ConnectionString;

        var run = await WeaverCli.RunAsync("jobs", "--postgres", missing, "--schema", Schema);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("refused: database \"no_such_database\" does not exist (SQLSTATE 3D000)", run.Error, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task An_unknown_job_exits_1()
    {
        var run = await RunAsync("status", "no-such-job");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"No job 'no-such-job' in the PostgreSQL store in schema '{Schema}'", run.Error, StringComparison.Ordinal);
    }

    private Task<CliRun> RunAsync(params string[] arguments) =>
        WeaverCli.RunAsync([.. arguments, "--postgres", _connectionString, "--schema", Schema], new Dictionary<string, string>());

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
