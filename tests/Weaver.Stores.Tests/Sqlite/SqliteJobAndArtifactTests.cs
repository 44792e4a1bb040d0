using Weaver.Sqlite;
using Weaver.Stores.Tests.Conformance;

namespace Weaver.Stores.Tests.Sqlite;

/// <summary>Jobs as revisioned rows, and artifact metadata fenced by the attempt's lease.</summary>
public sealed class SqliteJobAndArtifactTests : IAsyncLifetime
{
    private readonly SqliteTestFolder _folder = new();
    private readonly StoreSetup _setup = StoreSetup.Default();
    private SqliteWeaverStore _store = null!;

    public Task InitializeAsync()
    {
        _store = _folder.Store(_setup);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _folder.DisposeAsync();

    [Fact]
    public async Task A_job_update_is_a_compare_and_set_on_its_revision()
    {
        var created = await _store.CreateJobAsync(new NewJob("j1", "Running", "{ \"tasks\": [] }"));
        await Assert.ThrowsAsync<DuplicateJobException>(() => _store.CreateJobAsync(new NewJob("j1", "Other", "{}")).AsTask());
        _setup.Time.Advance(TimeSpan.FromSeconds(3));

        var updated = await _store.TryUpdateJobAsync("j1", 1, "Succeeded", "{\"done\":1}");
        var lost = await _store.TryUpdateJobAsync("j1", 1, "Failed", "{}");

        var start = created.CreatedAt;
        Assert.Equal(new StoredJob("j1", "Running", "{ \"tasks\": [] }", 1, start, start), created);
        Assert.Equal(new StoredJob("j1", "Succeeded", "{\"done\":1}", 2, start, start + TimeSpan.FromSeconds(3)), updated);
        Assert.Null(lost);
        Assert.Null(await _store.TryUpdateJobAsync("nobody", 1, "Failed", "{}"));
        Assert.Equal(updated, await _store.GetJobAsync("j1"));
        await _store.CreateJobAsync(new NewJob("J0", "Running", "{}"));
        Assert.Equal(["J0", "j1"], (await _store.ListJobsAsync()).Select(j => j.Id));
    }

    [Fact]
    public async Task Artifacts_are_listed_in_append_order_and_a_lost_lease_writes_none()
    {
        await _store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default) { Job = new JobTaskRef(new JobId("job"), "step") });
        var attempt = Assert.Single(await _store.ClaimAsync("w1", 1, ["echo"]));
        var now = _setup.Time.GetUtcNow();
        var file = new ArtifactRef("job", "step", 1, "out/b.txt", ArtifactKind.File, new string('a', 64), 12, null, now);
        var link = new ArtifactRef("job", "step", 1, "report", ArtifactKind.Url, null, 0, new Uri("https://example.test/r?id=1"), now);

        Assert.True(await _store.AppendArtifactAsync(attempt, file));
        Assert.True(await _store.AppendArtifactAsync(attempt, link));
        Assert.True(await _store.CompleteAsync(attempt, null, 0m));
        Assert.False(await _store.AppendArtifactAsync(attempt, file with { Name = "late.txt" }));

        Assert.Equal([file, link], await _store.ListArtifactsAsync("job", "step"));
        Assert.Empty(await _store.ListArtifactsAsync("job", "other"));
        Assert.Equal(TaskEvents.Rejected(now, 1, "w1", 1, "write of artifact 'late.txt'"), (await _store.GetHistoryAsync("t1"))[^1]);
    }
}
