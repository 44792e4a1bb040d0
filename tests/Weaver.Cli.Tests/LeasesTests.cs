namespace Weaver.Cli.Tests;

public sealed class LeasesTests(LeasesStore store) : IClassFixture<LeasesStore>
{
    [Fact]
    public async Task The_table_lists_each_running_task_with_its_owner_epoch_and_whether_it_is_stale()
    {
        var run = await WeaverCli.RunAsync("leases", "--sqlite", store.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Out.Split('\n');
        var live = Assert.Single(lines, line => line.Contains("render-logo", StringComparison.Ordinal));
        var stale = Assert.Single(lines, line => line.Contains("crawl-site", StringComparison.Ordinal));
        Assert.Contains("worker-a/0", live, StringComparison.Ordinal);
        Assert.Contains("live, 1h", live, StringComparison.Ordinal);
        Assert.Contains("worker-b/1", stale, StringComparison.Ordinal);
        Assert.Contains("stale for 1d", stale, StringComparison.Ordinal);
        Assert.DoesNotContain("queued-report", run.Out, StringComparison.Ordinal);
        Assert.Contains("2 running, 1 stale", run.Out, StringComparison.Ordinal);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task The_json_has_every_field_of_each_lease()
    {
        var run = await WeaverCli.RunAsync("leases", "--sqlite", store.Path, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var json = run.Json();
        Assert.True(json.GetProperty("now").GetDateTimeOffset() >= store.ClaimedAt);
        var leases = json.GetProperty("leases").EnumerateArray().ToList();
        Assert.Equal(["crawl-site", "render-logo"], leases.Select(lease => lease.GetProperty("taskId").GetString()));

        var stale = leases[0];
        Assert.Equal("crawl", stale.GetProperty("kind").GetString());
        Assert.Equal("worker-b/1", stale.GetProperty("owner").GetString());
        Assert.Equal(store.Stale.Epoch, stale.GetProperty("epoch").GetInt64());
        Assert.Equal(1, stale.GetProperty("attempt").GetInt32());
        Assert.Equal(store.Stale.ExpiresAt, stale.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.True(stale.GetProperty("stale").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, stale.GetProperty("jobId").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, stale.GetProperty("jobTaskId").ValueKind);
        Assert.Empty(stale.GetProperty("resources").EnumerateArray());

        var live = leases[1];
        Assert.Equal("worker-a/0", live.GetProperty("owner").GetString());
        Assert.Equal(store.Live.Epoch, live.GetProperty("epoch").GetInt64());
        Assert.Equal(store.Live.ExpiresAt, live.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.False(live.GetProperty("stale").GetBoolean());
        Assert.Equal(["assets/logo.png"], live.GetProperty("resources").EnumerateArray().Select(key => key.GetString()));
    }
}
