namespace Weaver.Stores.Tests.Conformance;

/// <summary>The contract's jobs (contract 9): stored at revision 1, changed only by a compare-and-set on the revision.</summary>
/// <param name="provider">The provider under test.</param>
public abstract class JobConformance(StoreProvider provider) : StoreTests(provider)
{
    private const string Document = """{ "spec": {"tasks": ["a","b"]}, "note": "kept  as given ✓" }""";

    [StoreFact]
    public async Task A_job_is_stored_at_revision_one()
    {
        await using var s = await OpenAsync();

        var created = await s.Store.CreateJobAsync(new NewJob("job-1", "Running", Document));

        var expected = new StoredJob("job-1", "Running", Document, 1, s.Now, s.Now);
        Assert.Equal(expected, created);
        Assert.Equal(expected, await s.Store.GetJobAsync("job-1"));
        Assert.Equal(TimeSpan.Zero, created.CreatedAt.Offset);
        Assert.Equal(TimeSpan.Zero, (await s.Store.GetJobAsync("job-1"))!.UpdatedAt.Offset);
        Assert.Null(await s.Store.GetJobAsync("job-2"));
        Assert.Null(await s.Store.GetJobAsync("JOB-1"));
    }

    [StoreFact]
    public async Task A_duplicate_job_id_is_rejected_and_changes_nothing()
    {
        await using var s = await OpenAsync();
        var created = await s.Store.CreateJobAsync(new NewJob("job-1", "Running", Document));
        s.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<DuplicateJobException>(async () => await s.Store.CreateJobAsync(new NewJob("job-1", "Pending", "{}")));

        Assert.Equal("job-1", error.JobId);
        Assert.Equal(created, await s.Store.GetJobAsync("job-1"));
        Assert.Single(await s.Store.ListJobsAsync());
    }

    [StoreFact]
    public async Task An_empty_job_id_is_rejected()
    {
        await using var s = await OpenAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await s.Store.CreateJobAsync(new NewJob("", "Running", "{}")));

        Assert.Empty(await s.Store.ListJobsAsync());
    }

    [StoreFact]
    public async Task An_update_from_the_current_revision_replaces_state_and_document_and_moves_the_revision_on()
    {
        await using var s = await OpenAsync();
        var created = await s.Store.CreateJobAsync(new NewJob("job-1", "Running", Document));
        s.Advance(TimeSpan.FromSeconds(3));

        var updated = await s.Store.TryUpdateJobAsync("job-1", 1, "Succeeded", """{"done":true}""");

        var expected = new StoredJob("job-1", "Succeeded", """{"done":true}""", 2, created.CreatedAt, s.Now);
        Assert.Equal(expected, updated);
        Assert.Equal(expected, await s.Store.GetJobAsync("job-1"));
        s.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, (await s.Store.TryUpdateJobAsync("job-1", 2, "Succeeded", "{}"))!.Revision);
    }

    [StoreFact]
    public async Task An_update_from_a_stale_revision_loses_and_changes_nothing()
    {
        await using var s = await OpenAsync();
        await s.Store.CreateJobAsync(new NewJob("job-1", "Running", Document));
        var current = await s.Store.TryUpdateJobAsync("job-1", 1, "Running", """{"step":2}""");
        s.Advance(TimeSpan.FromSeconds(1));

        Assert.Null(await s.Store.TryUpdateJobAsync("job-1", 1, "Failed", """{"stale":true}"""));
        Assert.Null(await s.Store.TryUpdateJobAsync("job-1", 3, "Failed", """{"future":true}"""));
        Assert.Null(await s.Store.TryUpdateJobAsync("job-1", 0, "Failed", "{}"));
        Assert.Null(await s.Store.TryUpdateJobAsync("job-2", 1, "Failed", "{}"));

        Assert.Equal(current, await s.Store.GetJobAsync("job-1"));
        Assert.Null(await s.Store.GetJobAsync("job-2"));
    }

    [StoreFact]
    public async Task Jobs_are_listed_by_id()
    {
        await using var s = await OpenAsync();
        foreach (var id in new[] { "job-b", "job-a", "Job-c", "job-a2" })
        {
            await s.Store.CreateJobAsync(new NewJob(id, "Running", "{}"));
        }

        var jobs = await s.Store.ListJobsAsync();

        Assert.Equal(["Job-c", "job-a", "job-a2", "job-b"], jobs.Select(j => j.Id));
        Assert.All(jobs, j => Assert.Equal(1, j.Revision));
    }

    [StoreFact]
    public async Task Of_many_concurrent_updaters_from_one_revision_exactly_one_wins()
    {
        await using var s = await OpenAsync();
        await s.Store.CreateJobAsync(new NewJob("job-1", "Running", "{}"));

        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
            await s.Store.TryUpdateJobAsync("job-1", 1, $"State{i}", $$"""{"writer":{{i}}}"""))));

        var winner = Assert.Single(results, r => r is not null)!;
        Assert.Equal(2, winner.Revision);
        Assert.Equal(winner, await s.Store.GetJobAsync("job-1"));
    }

    [StoreFact]
    public async Task Concurrent_updaters_that_reread_after_losing_apply_every_change_once()
    {
        await using var s = await OpenAsync();
        await s.Store.CreateJobAsync(new NewJob("job-1", "Running", "0"));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var done = 0; done < 10;)
            {
                var job = (await s.Store.GetJobAsync("job-1"))!;
                var next = (int.Parse(job.Document, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (await s.Store.TryUpdateJobAsync("job-1", job.Revision, "Running", next) is not null)
                {
                    done++;
                }
            }
        })));

        var final = (await s.Store.GetJobAsync("job-1"))!;
        Assert.Equal("80", final.Document);
        Assert.Equal(81, final.Revision);
    }
}
