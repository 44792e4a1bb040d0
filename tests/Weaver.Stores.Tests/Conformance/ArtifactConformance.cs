namespace Weaver.Stores.Tests.Conformance;

/// <summary>The contract's artifact metadata (contract 5): a fenced append, listed per job task in append order.</summary>
/// <param name="provider">The provider under test.</param>
public abstract class ArtifactConformance(StoreProvider provider) : StoreTests(provider)
{
    [StoreFact]
    public async Task Artifacts_are_listed_per_job_task_in_the_order_they_were_appended()
    {
        await using var s = await OpenAsync();
        var job = new JobTaskRef(new JobId("job-1"), "build");
        await s.CreateAsync("t1", job: job);
        await s.CreateAsync("t2", job: new JobTaskRef(new JobId("job-1"), "test"));
        var first = await s.ClaimOneAsync("w1");
        var other = await s.ClaimOneAsync("w2");
        var history = await s.HistoryAsync("t1");

        var log = new ArtifactRef("job-1", "build", 1, "logs/build.log", ArtifactKind.Stdout, new string('b', 64), 1234, null, s.Now);
        var link = new ArtifactRef("job-1", "build", 1, "report", ArtifactKind.Url, null, 0, new Uri("https://example.com/report?id=1&x=%20"), s.Now);
        var elsewhere = new ArtifactRef("job-1", "test", 1, "results.xml", ArtifactKind.File, new string('c', 64), 99, null, s.Now);
        Assert.True(await s.Store.AppendArtifactAsync(first, log));
        s.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await s.Store.AppendArtifactAsync(first, link));
        Assert.True(await s.Store.AppendArtifactAsync(other, elsewhere));
        Expect.SameHistory(history, await s.HistoryAsync("t1")); // an accepted append adds no event of its own

        Assert.True(await s.Store.FailAsync(first, "flaky", 0m));
        s.Advance(TimeSpan.FromMinutes(1));
        var second = await s.ClaimOneAsync("w3");
        var retried = new ArtifactRef("job-1", "build", 2, "logs/build.log", ArtifactKind.Stderr, new string('d', 64), 7, null, s.Now);
        Assert.True(await s.Store.AppendArtifactAsync(second, retried));

        Assert.Equal([log, link, retried], await s.Store.ListArtifactsAsync("job-1", "build"));
        Assert.Equal([elsewhere], await s.Store.ListArtifactsAsync("job-1", "test"));
        Assert.Empty(await s.Store.ListArtifactsAsync("job-1", "deploy"));
        Assert.Empty(await s.Store.ListArtifactsAsync("job-2", "build"));
        Assert.Empty(await s.Store.ListArtifactsAsync("JOB-1", "build"));
        Assert.All(await s.Store.ListArtifactsAsync("job-1", "build"), a => Assert.Equal(TimeSpan.Zero, a.CreatedAt.Offset));
        Assert.DoesNotContain(await s.HistoryAsync("t1"), e => e.Kind == TaskEventKind.WriteRejected);
    }

    [StoreFact]
    public async Task A_standalone_task_lists_its_artifacts_under_its_own_id_twice()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("solo");
        var attempt = await s.ClaimOneAsync();
        var artifact = new ArtifactRef("solo", "solo", 1, "out.bin", ArtifactKind.File, new string('e', 64), 3, null, s.Now);

        Assert.True(await s.Store.AppendArtifactAsync(attempt, artifact));

        Assert.Equal([artifact], await s.Store.ListArtifactsAsync("solo", "solo"));
    }

    [StoreFact]
    public async Task An_append_after_the_lease_was_lost_is_rejected_and_nothing_is_listed()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1", job: new JobTaskRef(new JobId("job"), "step"));
        var zombie = await s.ClaimOneAsync("zombie");
        var kept = FencingConformance.Artifact(zombie, "kept.txt", s.Now);
        Assert.True(await s.Store.AppendArtifactAsync(zombie, kept));
        s.GoStale();
        Assert.Equal(1, await s.Store.SweepAsync());
        var owner = await s.ClaimOneAsync("owner");
        var history = await s.HistoryAsync("t1");

        Assert.False(await s.Store.AppendArtifactAsync(zombie, FencingConformance.Artifact(zombie, "late.txt", s.Now)));

        Expect.Appended(history, [TaskEvents.Rejected(s.Now, 1, "zombie", zombie.Epoch, "write of artifact 'late.txt'")], await s.HistoryAsync("t1"));
        var fresh = FencingConformance.Artifact(owner, "fresh.txt", s.Now);
        Assert.True(await s.Store.AppendArtifactAsync(owner, fresh));
        Assert.Equal([kept, fresh], await s.Store.ListArtifactsAsync("job", "step"));
    }

    [StoreFact]
    public async Task Concurrent_appends_of_one_attempt_are_all_listed_once()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1", job: new JobTaskRef(new JobId("job"), "step"));
        var attempt = await s.ClaimOneAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
            await s.Store.AppendArtifactAsync(attempt, FencingConformance.Artifact(attempt, $"part-{i:D2}", s.Now)))));

        Assert.All(results, Assert.True);
        var listed = await s.Store.ListArtifactsAsync("job", "step");
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"part-{i:D2}"), listed.Select(a => a.Name).Order(StringComparer.Ordinal));
    }
}
