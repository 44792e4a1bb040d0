using System.Text.Json;

namespace Weaver.Hosting.Tests;

/// <summary>
/// A real generic host with <c>UseSqlite</c> on a temporary file: it runs jobs, and a process restarted under its name
/// resumes the job it was running when it stopped. The store-backed job client follows tasks by polling the store, so
/// these hosts use the system clock with short poll intervals; the tests wait on the client, never on the clock.
/// </summary>
public sealed class SqliteHostTests : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_started_host_runs_jobs_on_a_sqlite_file()
    {
        using var host = TestHosts.Build(o => UseTempSqlite(o, "sqlite-host"));
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IWeaverClient>();

        var id = await client.SubmitJobAsync(TestHosts.Job("shout", "durable"));
        var result = await client.WaitForJobAsync(id).WaitAsync(Guard);

        Assert.Equal(JobLifecycle.State.Succeeded, result.State);
        Assert.Equal("DURABLE", ((JsonElement)result.Results["only"]!).GetString());
        var runtime = host.Services.GetRequiredService<WeaverRuntime>();
        Assert.Equal(_folder.File("weaver.db"), Assert.IsType<Weaver.Sqlite.SqliteWeaverStore>(await runtime.GetStoreAsync()).DataSource);
        var history = await host.Services.GetRequiredService<IWeaverStore>().GetHistoryAsync($"{id}/only");
        Assert.StartsWith("sqlite-host/", history.Single(e => e.Kind == TaskEventKind.AttemptStarted).Owner, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task Handlers_keep_artifacts_in_the_folder_the_options_name_with_their_metadata_in_the_store()
    {
        var artifacts = new ArtifactStore(_folder.File("artifacts"));
        using var host = TestHosts.Build(o =>
        {
            UseTempSqlite(o, "artifact-host");
            o.Artifacts = artifacts;
        });
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IWeaverClient>();

        var id = await client.SubmitJobAsync(TestHosts.Job("shout", "kept"));
        await client.WaitForJobAsync(id).WaitAsync(Guard);

        var listed = await host.Services.GetRequiredService<IWeaverStore>().ListArtifactsAsync(id.Value, "only");
        Assert.Equal("shouted.txt", Assert.Single(listed).Name);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_process_restarted_under_its_name_resumes_the_job_it_was_running_and_nothing_is_lost()
    {
        var gate = Gate.New();
        JobId id;
        using (var first = TestHosts.Build(o =>
        {
            UseTempSqlite(o, "node-1");
            o.ShutdownGrace = TimeSpan.Zero;
        }))
        {
            await first.StartAsync();
            id = await first.Services.GetRequiredService<IWeaverClient>().SubmitJobAsync(TestHosts.Job("gated", gate.Name));
            await gate.Started.Task.WaitAsync(Guard);
            await first.StopAsync();
            await gate.Cancelled.Task.WaitAsync(Guard);
        }

        var task = await ReadTaskAsync(id);
        Assert.Equal(TaskLifecycle.State.Queued, task.State); // handed back when the first process stopped

        gate.Open.SetResult();
        using var second = TestHosts.Build(o => UseTempSqlite(o, "node-1"));
        await second.StartAsync();
        var client = second.Services.GetRequiredService<IWeaverClient>();
        var result = await client.WaitForJobAsync(id).WaitAsync(Guard);

        Assert.Equal(JobLifecycle.State.Succeeded, result.State);
        Assert.Equal($"{gate.Name} passed", ((JsonElement)result.Results["only"]!).GetString());
        var events = new List<JobEvent>();
        await foreach (var jobEvent in client.WatchAsync(id))
        {
            events.Add(jobEvent);
        }

        Assert.Contains(events, e => e.Kind == JobEventKind.Resumed);
        var history = await second.Services.GetRequiredService<IWeaverStore>().GetHistoryAsync($"{id}/only");
        Assert.Equal(
            [TaskEventKind.Submitted, TaskEventKind.AttemptStarted, TaskEventKind.Abandoned, TaskEventKind.AttemptStarted, TaskEventKind.Succeeded],
            history.Select(e => e.Kind));
        await second.StopAsync();
    }

    private void UseTempSqlite(WeaverOptions o, string name)
    {
        o.UseSqlite(_folder.File("weaver.db"), sqlite => sqlite with { PollInterval = TimeSpan.FromMilliseconds(20) });
        o.WorkerName = name;
        o.WorkerCount = 2;
        o.IdleWait = TimeSpan.FromMilliseconds(20);
        o.JobPollInterval = TimeSpan.FromMilliseconds(20);
    }

    private async Task<StoredTask> ReadTaskAsync(JobId id)
    {
        await using var store = await Weaver.Sqlite.SqliteWeaverStore.OpenAsync(new Weaver.Sqlite.SqliteStoreOptions { Path = _folder.File("weaver.db") });
        return (await store.GetTaskAsync($"{id}/only"))!;
    }
}
