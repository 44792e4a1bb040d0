namespace Weaver.Cli.Tests;

public sealed class LocksTests(LeasesStore store) : IClassFixture<LeasesStore>
{
    [Fact]
    public async Task The_table_lists_each_held_resource_with_its_holder_and_leaves_out_stale_locks()
    {
        var run = await WeaverCli.RunAsync("locks", "--sqlite", store.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Out.Split('\n');
        var logo = Assert.Single(lines, line => line.Contains("assets/logo.png", StringComparison.Ordinal));
        var prod = Assert.Single(lines, line => line.Contains("envs/prod", StringComparison.Ordinal));
        Assert.Contains("render-logo", logo, StringComparison.Ordinal);
        Assert.Contains("worker-a/0", logo, StringComparison.Ordinal);
        Assert.Contains("deploy", prod, StringComparison.Ordinal);
        Assert.Contains("ops-1", prod, StringComparison.Ordinal);
        Assert.DoesNotContain("envs/staging", run.Out, StringComparison.Ordinal);
        Assert.Contains("2 resource(s) locked", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_json_has_one_entry_per_resource_by_key()
    {
        var run = await WeaverCli.RunAsync("--json", "locks", "--sqlite", store.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        var json = run.Json();
        Assert.True(json.GetProperty("now").GetDateTimeOffset() >= store.ClaimedAt);
        var locks = json.GetProperty("locks").EnumerateArray().ToList();
        Assert.Equal(["assets/logo.png", "envs/prod"], locks.Select(row => row.GetProperty("resource").GetString()));
        var prod = locks[1];
        Assert.Equal("deploy", prod.GetProperty("taskId").GetString());
        Assert.Equal("ops-1", prod.GetProperty("owner").GetString());
        Assert.Equal(store.DeployLock.Epoch, prod.GetProperty("epoch").GetInt64());
        Assert.Equal(store.DeployLock.ExpiresAt, prod.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal("render-logo", locks[0].GetProperty("taskId").GetString());
    }
}
