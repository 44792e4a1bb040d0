using Weaver.Sqlite;
using Weaver.Stores.Tests.Conformance;

namespace Weaver.Stores.Tests.Sqlite;

/// <summary>
/// Text that would break SQL built by concatenation goes everywhere text can go and reads back exactly (as the suite's
/// <see cref="HostileTextConformance"/> checks too); then the file's schema is read and found as it was, and the file
/// intact: only parameters reach SQL.
/// </summary>
public sealed class SqliteHostileTextTests : IAsyncLifetime
{
    // The suite's hostile texts, plus what only SQLite can hold: NUL inside text, and text longer than an index entry.
    private static readonly string[] Hostile = [.. HostileText.All, "a\0b (NUL inside)", "x" + new string('y', 70_000)];

    private readonly SqliteTestFolder _folder = new();
    private readonly StoreSetup _setup = StoreSetup.Default();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _folder.DisposeAsync();

    [Fact]
    public async Task Hostile_text_everywhere_reads_back_exactly_and_leaves_the_schema_intact()
    {
        await using var store = await SqliteWeaverStore.OpenAsync(_folder.Options(_setup));
        IReadOnlyList<string> schemaBefore;
        await using (var raw = await _folder.OpenRawAsync())
        {
            schemaBefore = await SqliteSchemaTests.SchemaAsync(raw);
        }

        for (var i = 0; i < Hostile.Length; i++)
        {
            var text = Hostile[i];
            var id = $"{text}#{i}";
            var kind = $"kind {text}";
            var key = ResourceKey.Normalize($"res:{text}").Value; // '\' becomes '/'; nothing else changes
            var created = await store.CreateTaskAsync(new NewTask(id, kind, text, RetryPolicy.Default)
            {
                Resources = [$"res:{text}"],
                Job = new JobTaskRef(new JobId($"job {text}"), $"step {text}"),
            });
            var attempt = Assert.Single(await store.ClaimAsync($"owner {text}", 1, [kind]));
            Assert.Equal((id, text, key), (attempt.TaskId, attempt.Input, Assert.Single(attempt.Resources)));
            var decision = new Decision($"policy {text}", $"evidence {text}", $"change {text}");
            Assert.True(await store.RecordDecisionAsync(attempt, decision));
            var artifact = new ArtifactRef($"job {text}", $"step {text}", 1, $"out/{text}", ArtifactKind.File, text, 3, null, _setup.Time.GetUtcNow());
            Assert.True(await store.AppendArtifactAsync(attempt, artifact));
            Assert.True(i % 2 == 0 ? await store.CompleteAsync(attempt, text, 0m) : await store.FailAsync(attempt, text, 0m, permanent: true));
            Assert.False(await store.AbandonAsync(attempt, text));

            var stored = await store.GetTaskAsync(id);
            Assert.Equal((id, kind, text, key, created.Job), (stored!.Id, stored.Kind, stored.Input, Assert.Single(stored.Resources), stored.Job));
            Assert.Equal(text, i % 2 == 0 ? stored.Result : stored.Error);
            var history = await store.GetHistoryAsync(id);
            Assert.Equal(TaskEvents.Submitted(created.CreatedAt, kind), history[0]);
            Assert.Contains(history, e => e.Decision == decision);
            Assert.Equal([artifact], await store.ListArtifactsAsync($"job {text}", $"step {text}"));

            var job = await store.CreateJobAsync(new NewJob($"job {text}", $"state {text}", text));
            Assert.Equal(job with { Revision = 2 }, await store.TryUpdateJobAsync(job.Id, 1, job.State, job.Document));
            Assert.Equal(job with { Revision = 2 }, await store.GetJobAsync(job.Id));
            var lease = (await store.TryAcquireLocksAsync($"holder {text}", $"owner {text}", [$"lock{i}:{text}"])).Lease!;
            Assert.Contains(await store.ListLocksAsync(), l => l.TaskId == lease.TaskId && l.Owner == lease.Owner && l.Resources.SequenceEqual(lease.Resources));
            Assert.False(await store.CancelAsync(id));
        }

        Assert.Equal(Hostile.Length, (await store.ListTasksAsync()).Count);
        Assert.Equal(Hostile.Length, (await store.ListJobsAsync()).Count);
        await using var check = await _folder.OpenRawAsync();
        Assert.Equal(schemaBefore, await SqliteSchemaTests.SchemaAsync(check));
        Assert.Equal("ok", await SqliteSchemaTests.ScalarAsync(check, "PRAGMA integrity_check"));
        Assert.Empty(await SqliteSchemaTests.ColumnAsync(check, "PRAGMA foreign_key_check"));
    }
}
