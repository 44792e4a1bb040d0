using System.Diagnostics;
using Npgsql;
using Xunit.Abstractions;

namespace Weaver.Stores.Tests.Postgres;

/// <summary>
/// Clusters of their own (not the shared one): nothing is left behind after dispose, nor after a test process that
/// died without disposing.
/// </summary>
public sealed class PostgresClusterLifetimeTests(ITestOutputHelper output)
{
    [PostgresFact(Requires = PostgresRequirement.OwnCluster)]
    public async Task Dispose_stops_the_server_and_removes_its_folder()
    {
        var stopwatch = Stopwatch.StartNew();
        var cluster = PostgresServer.Create(PostgresClusterOptions.Throwaway());
        string directory;
        int postmaster;
        NpgsqlConnection? stillOpen = null;
        try
        {
            await cluster.InitializeAsync();
            output.WriteLine($"{cluster.Description}: up in {stopwatch.ElapsedMilliseconds} ms");
            directory = cluster.ClusterDirectory!;
            Assert.StartsWith(PostgresServer.DirectoryPrefix, Path.GetFileName(directory), StringComparison.Ordinal);
            Assert.True(Directory.Exists(cluster.DataDirectory));
            postmaster = PostgresClusterTests.PostmasterPid(cluster.DataDirectory!);

            // A connection still open at dispose does not keep the server alive.
            stillOpen = new NpgsqlConnection(cluster.ConnectionString);
            await stillOpen.OpenAsync();
            Assert.Equal(1, await PostgresClusterTests.ScalarAsync(stillOpen, "SELECT 1"));
        }
        finally
        {
            stopwatch.Restart();
            await cluster.DisposeAsync();
            output.WriteLine($"disposed in {stopwatch.ElapsedMilliseconds} ms");
        }

        Assert.False(Directory.Exists(directory), $"{directory} is still there");
        Assert.False(IsRunning(postmaster), $"postmaster {postmaster} still runs");
        await using (var refused = new NpgsqlConnection(cluster.ConnectionString))
        {
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => refused.OpenAsync());
        }

        await stillOpen.DisposeAsync();
        await cluster.DisposeAsync(); // twice is harmless
    }

    [PostgresFact(Requires = PostgresRequirement.OwnCluster)]
    public async Task A_cluster_whose_test_process_died_is_stopped_and_removed_by_the_next_run()
    {
        var root = CreateBase();
        var cluster = PostgresServer.Create(PostgresClusterOptions.Throwaway() with { BaseDirectory = root });
        try
        {
            await cluster.InitializeAsync();
            var directory = cluster.ClusterDirectory!;
            var postmaster = PostgresClusterTests.PostmasterPid(cluster.DataDirectory!);

            // Still owned by this live process: left alone.
            Assert.Empty(PostgresServer.RemoveStaleClusters(root));
            Assert.True(IsRunning(postmaster));

            // Pretend this process died: its owner line now names a process that has ended.
            await File.WriteAllTextAsync(Path.Combine(directory, "owner"), await DeadOwnerLineAsync());
            Assert.Equal([directory], PostgresServer.RemoveStaleClusters(root));

            Assert.False(Directory.Exists(directory));
            Assert.False(IsRunning(postmaster), $"postmaster {postmaster} still runs");
        }
        finally
        {
            await cluster.DisposeAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Stale_cluster_folders_are_told_apart_from_live_ones_by_pid_and_start_time()
    {
        var root = CreateBase();
        try
        {
            using var self = Process.GetCurrentProcess();
            var start = self.StartTime.ToUniversalTime();
            var live = Folder(root, "live", PostgresServer.OwnerLine(Environment.ProcessId, start));
            var reused = Folder(root, "reused", PostgresServer.OwnerLine(Environment.ProcessId, start.AddHours(-1)));
            var dead = Folder(root, "dead", await DeadOwnerLineAsync());
            var garbled = Folder(root, "garbled", "not a pid");
            var creating = Folder(root, "creating", null);
            var unrelated = Directory.CreateDirectory(Path.Combine(root, "something-else")).FullName;

            var removed = PostgresServer.RemoveStaleClusters(root);

            Assert.Equal(new[] { dead, garbled, reused }.Order(), removed.Order());
            Assert.True(Directory.Exists(live));
            Assert.True(Directory.Exists(creating));
            Assert.True(Directory.Exists(unrelated));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string CreateBase()
    {
        // Not itself a "weaver-pg-" folder, so no other run's sweep takes it for a cluster.
        var root = Path.Combine(Path.GetTempPath(), $"weaver-pgtest-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        return root;
    }

    private static string Folder(string root, string name, string? owner)
    {
        var directory = Directory.CreateDirectory(Path.Combine(root, PostgresServer.DirectoryPrefix + name)).FullName;
        if (owner is not null)
        {
            File.WriteAllText(Path.Combine(directory, "owner"), owner);
        }

        return directory;
    }

    /// <summary>The owner line of a process that has just ended.</summary>
    private static async Task<string> DeadOwnerLineAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        var line = PostgresServer.OwnerLine(process.Id, process.StartTime.ToUniversalTime());
        await process.WaitForExitAsync();
        return line;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            var stat = $"/proc/{pid}/stat";
            var zombie = File.Exists(stat) && File.ReadAllText(stat) is var s && s[(s.LastIndexOf(')') + 2)..].StartsWith('Z');
            return !process.HasExited && !zombie;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
