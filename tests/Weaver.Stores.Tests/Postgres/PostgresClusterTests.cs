using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Npgsql;
using Xunit.Abstractions;

namespace Weaver.Stores.Tests.Postgres;

/// <summary>The shared cluster: what every store test relies on.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresClusterTests(PostgresCluster cluster, ITestOutputHelper output)
{
    [PostgresFact]
    public async Task Connects_and_reports_the_time_and_version()
    {
        output.WriteLine(cluster.Description);
        await using var db = new NpgsqlConnection(cluster.ConnectionString);
        await db.OpenAsync();

        var now = (DateTime)(await ScalarAsync(db, "SELECT now() AT TIME ZONE 'UTC'"))!;
        Assert.InRange(now, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(5));

        var version = (string)(await ScalarAsync(db, "SHOW server_version"))!;
        output.WriteLine($"server_version = {version}");
        var major = int.Parse(version.Split('.', ' ')[0], CultureInfo.InvariantCulture);
        Assert.True(major >= 13, $"PostgreSQL {version} is older than 13 (DROP DATABASE ... WITH (FORCE) is needed)");
    }

    [PostgresFact]
    public async Task Each_created_database_is_separate()
    {
        var first = await cluster.CreateDatabaseAsync("cluster_tests_first");
        var second = await cluster.CreateDatabaseAsync("cluster_tests_second");

        await using (var db = new NpgsqlConnection(first))
        {
            await db.OpenAsync();
            Assert.StartsWith("cluster_tests_first", (string)(await ScalarAsync(db, "SELECT current_database()"))!, StringComparison.Ordinal);
            await ExecuteAsync(db, "CREATE TABLE marker (id int); INSERT INTO marker VALUES (1)");
            Assert.Equal(1L, await ScalarAsync(db, "SELECT count(*) FROM marker"));
        }

        await using (var db = new NpgsqlConnection(second))
        {
            await db.OpenAsync();
            Assert.StartsWith("cluster_tests_second", (string)(await ScalarAsync(db, "SELECT current_database()"))!, StringComparison.Ordinal);
            Assert.Equal(true, await ScalarAsync(db, "SELECT to_regclass('marker') IS NULL"));
        }

        await Assert.ThrowsAsync<ArgumentException>(() => cluster.CreateDatabaseAsync("Robert'); DROP TABLE students;--"));
    }

    [PostgresFact(Requires = PostgresRequirement.ThrowawayCluster)]
    public async Task Stops_and_starts_again_on_the_same_port_with_its_data()
    {
        var connection = await cluster.CreateDatabaseAsync("cluster_tests_restart");
        await using (var db = new NpgsqlConnection(connection))
        {
            await db.OpenAsync();
            await ExecuteAsync(db, "CREATE TABLE survivor (id int); INSERT INTO survivor VALUES (42)");
        }

        var port = cluster.Port;
        var stopwatch = Stopwatch.StartNew();
        await cluster.StopAsync();
        try
        {
            output.WriteLine($"stopped in {stopwatch.ElapsedMilliseconds} ms");
            await using var refused = new NpgsqlConnection(connection);
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => refused.OpenAsync());
        }
        finally
        {
            stopwatch.Restart();
            await cluster.StartAsync();
            output.WriteLine($"started in {stopwatch.ElapsedMilliseconds} ms");
        }

        Assert.Equal(port, cluster.Port);
        await using (var db = new NpgsqlConnection(connection))
        {
            await db.OpenAsync();
            Assert.Equal(42, await ScalarAsync(db, "SELECT id FROM survivor"));
        }

        // Stopping or starting twice changes nothing.
        await cluster.StartAsync();
        Assert.Equal(1, await ScalarWithNewConnectionAsync(cluster.ConnectionString, "SELECT 1"));
    }

    [PostgresFact(Requires = PostgresRequirement.ThrowawayCluster)]
    public async Task Listens_on_loopback_only()
    {
        Assert.Equal("127.0.0.1", new NpgsqlConnectionStringBuilder(cluster.ConnectionString).Host);
        await using (var db = new NpgsqlConnection(cluster.ConnectionString))
        {
            await db.OpenAsync();
            Assert.Equal("127.0.0.1", await ScalarAsync(db, "SHOW listen_addresses"));
            Assert.Equal(IPAddress.Loopback, await ScalarAsync(db, "SELECT inet_server_addr()"));
        }

        // Every other address of this machine refuses the port.
        var others = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => !IPAddress.IsLoopback(a) && !a.IsIPv6LinkLocal)
            .ToList();
        output.WriteLine($"port {cluster.Port}; other addresses: {string.Join(", ", others)}");
        foreach (var address in others)
        {
            using var client = new TcpClient(address.AddressFamily);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            var error = await Record.ExceptionAsync(() => client.ConnectAsync(address, cluster.Port, timeout.Token).AsTask());
            Assert.True(error is SocketException or OperationCanceledException, $"{address}:{cluster.Port} accepted a connection");
        }
    }

    [PostgresFact(Requires = PostgresRequirement.ThrowawayCluster)]
    public void The_server_never_runs_as_root()
    {
        var postmaster = PostmasterPid(cluster.DataDirectory!);
        var uid = ProcessUid(postmaster);
        output.WriteLine($"postmaster {postmaster} runs as uid {uid?.ToString(CultureInfo.InvariantCulture) ?? "?"}; fixture runs it as '{cluster.RunsAs ?? "the current user"}'");
        if (uid is not null)
        {
            Assert.NotEqual(0, uid);
        }

        if (Unix.IsRoot())
        {
            Assert.NotNull(cluster.RunsAs);
        }
    }

    internal static int PostmasterPid(string dataDirectory) =>
        int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    internal static int? ProcessUid(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status))
        {
            return null;
        }

        var line = File.ReadLines(status).First(l => l.StartsWith("Uid:", StringComparison.Ordinal));
        return int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    internal static async Task<object?> ScalarAsync(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        return await command.ExecuteScalarAsync();
    }

    internal static async Task<object?> ScalarWithNewConnectionAsync(string connection, string sql)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        return await ScalarAsync(db, sql);
    }

    private static async Task ExecuteAsync(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        await command.ExecuteNonQueryAsync();
    }
}
