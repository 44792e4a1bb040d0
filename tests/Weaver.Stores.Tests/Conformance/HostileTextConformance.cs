namespace Weaver.Stores.Tests.Conformance;

/// <summary>
/// The contract's text rule (contract 11, 12): every text field goes in and comes back exactly, as a parameter, never as
/// SQL, a pattern or an escape, and never touches another row.
/// </summary>
/// <param name="provider">The provider under test.</param>
public abstract class HostileTextConformance(StoreProvider provider) : StoreTests(provider)
{
    private static IReadOnlyList<string> Texts => HostileText.All;

    private static StoreSetup Setup() =>
        StoreSetup.Default() with { Kinds = [.. Texts.Select(Kind), "echo"] };

    [StoreFact]
    public async Task Task_text_round_trips_exactly_through_create_claim_and_every_write()
    {
        await using var s = await OpenAsync(Setup());
        var bystander = await s.CreateAsync("plain", "echo", """{"plain":true}""", resources: ["plain-key"]);
        for (var i = 0; i < Texts.Count; i++)
        {
            var h = Texts[i];
            var created = await s.Store.CreateTaskAsync(new NewTask(Id(h), Kind(h), HostileText.Json(h), Policies.ThreeTries)
            {
                Resources = [Key(i, h), Key(i, h) + "/2"],
                Job = Job(h),
            });
            Assert.Equal(Id(h), created.Id);
        }

        var tasks = await s.Store.ListTasksAsync();
        Assert.Equal(Texts.Count + 1, tasks.Count);
        Assert.Equal(tasks.Select(t => t.Id).Order(StringComparer.Ordinal), tasks.Select(t => t.Id));
        for (var i = 0; i < Texts.Count; i++)
        {
            var h = Texts[i];
            var task = await s.GetAsync(Id(h));
            Assert.Equal(Kind(h), task.Kind);
            Assert.Equal(HostileText.Json(h), task.Input);
            Assert.Equal([Normalized(Key(i, h)), Normalized(Key(i, h) + "/2")], task.Resources);
            Assert.Equal(Job(h), task.Job);
            Expect.SameHistory([TaskEvents.Submitted(task.CreatedAt, Kind(h))], await s.HistoryAsync(Id(h)));
        }

        for (var i = 0; i < Texts.Count; i++)
        {
            var h = Texts[i];
            var attempt = Assert.Single(await s.Store.ClaimAsync(Owner(h), 5, [Kind(h)]));
            Assert.Equal(Id(h), attempt.TaskId);
            Assert.Equal(Owner(h), attempt.Owner);
            Assert.Equal(HostileText.Json(h), attempt.Input);
            Assert.Equal(Job(h), attempt.Job);
            Assert.Equal(Owner(h), (await s.GetAsync(Id(h))).Owner);
            Assert.Contains(await s.Store.ListLocksAsync(), l => l.TaskId == Id(h) && l.Owner == Owner(h));

            var decision = new Decision(h, h + h, "change: " + h);
            Assert.True(await s.Store.RecordDecisionAsync(attempt, decision));
            var artifact = new ArtifactRef(Job(h).JobId.Value, Job(h).TaskId, attempt.Number, "art/" + h, ArtifactKind.File, new string('f', 64), h.Length, null, s.Now);
            Assert.True(await s.Store.AppendArtifactAsync(attempt, artifact));
            Assert.Equal([artifact], await s.Store.ListArtifactsAsync(Job(h).JobId.Value, Job(h).TaskId));

            TaskEvent last;
            switch (i % 3)
            {
                case 0:
                    Assert.True(await s.Store.CompleteAsync(attempt, HostileText.Json(h), 1m));
                    Assert.Equal(HostileText.Json(h), (await s.GetAsync(Id(h))).Result);
                    last = TaskEvents.Succeeded(s.Now, 1, Owner(h), attempt.Epoch);
                    break;
                case 1:
                    Assert.True(await s.Store.FailAsync(attempt, h, 1m));
                    Assert.Equal(h, (await s.GetAsync(Id(h))).Error);
                    last = TaskEvents.Failed(s.Now, Policies.ThreeTries, 1, Owner(h), attempt.Epoch, h, StoreSetup.DefaultJitter).Event;
                    break;
                default:
                    Assert.True(await s.Store.AbandonAsync(attempt, h));
                    last = TaskEvents.Abandoned(s.Now, 1, Owner(h), attempt.Epoch, h);
                    break;
            }

            var history = await s.HistoryAsync(Id(h));
            Assert.Equal(TaskEvents.DecisionRecorded(s.Now, 1, Owner(h), attempt.Epoch, decision), history.Single(e => e.Kind == TaskEventKind.DecisionRecorded));
            Assert.Equal(last, history[^1]);
            var acquired = history.Single(e => e.Kind == TaskEventKind.ResourcesAcquired);
            Assert.Equal(Owner(h), acquired.Owner);
            Assert.Contains(Normalized(Key(i, h)), acquired.Detail, StringComparison.Ordinal);

            // A zombie's rejected write names the hostile artifact exactly.
            Assert.False(await s.Store.AppendArtifactAsync(attempt, artifact with { Name = "late/" + h }));
            Assert.Equal(TaskEvents.Rejected(s.Now, 1, Owner(h), attempt.Epoch, $"write of artifact 'late/{h}'"), (await s.HistoryAsync(Id(h)))[^1]);
        }

        Assert.Equal(Texts.Count + 1, (await s.Store.ListTasksAsync()).Count);
        Expect.SameTask(bystander, await s.GetAsync("plain"));
        Assert.Single(await s.HistoryAsync("plain"));
        Assert.Equal("plain", (await s.ClaimOneAsync("w", "echo")).TaskId);
    }

    [StoreFact]
    public async Task Hostile_ids_find_only_their_own_row()
    {
        await using var s = await OpenAsync(Setup());
        await s.CreateAsync("abc");
        await s.CreateAsync("a_c");
        await s.CreateAsync("a%");
        await s.CreateAsync("a\\%");
        foreach (var h in Texts)
        {
            Assert.Null(await s.Store.GetTaskAsync(Id(h)));
            Assert.Empty(await s.HistoryAsync(Id(h)));
            Assert.False(await s.Store.CancelAsync(Id(h)));
            Assert.Null(await s.Store.GetJobAsync(Id(h)));
            Assert.Null(await s.Store.TryUpdateJobAsync(Id(h), 1, "x", "{}"));
            Assert.Empty(await s.Store.ListArtifactsAsync(Id(h), h));
        }

        Assert.Equal("a_c", (await s.GetAsync("a_c")).Id);
        Assert.Null(await s.Store.GetTaskAsync("a_"));
        Assert.Null(await s.Store.GetTaskAsync("a%c"));
        Assert.Null(await s.Store.GetTaskAsync("ab%"));
        Assert.Equal("a%", (await s.GetAsync("a%")).Id);
        Assert.Equal("a\\%", (await s.GetAsync("a\\%")).Id);
        Assert.False(await s.Store.CancelAsync("a_"));
        Assert.True(await s.Store.CancelAsync("a_c"));
        Assert.Equal(["a%", "a\\%", "abc"], (await s.Store.ListTasksAsync(TaskLifecycle.State.Queued)).Select(t => t.Id));
    }

    [StoreFact]
    public async Task Cancel_by_a_hostile_id_cancels_that_task_alone()
    {
        await using var s = await OpenAsync(Setup());
        foreach (var h in Texts)
        {
            await s.Store.CreateTaskAsync(new NewTask(Id(h), Kind(h), "{}", Policies.ThreeTries));
        }

        for (var i = 0; i < Texts.Count; i++)
        {
            Assert.True(await s.Store.CancelAsync(Id(Texts[i])));
            var cancelled = await s.Store.ListTasksAsync(TaskLifecycle.State.Cancelled);
            Assert.Equal(Texts.Take(i + 1).Select(Id).Order(StringComparer.Ordinal), cancelled.Select(t => t.Id));
        }
    }

    [StoreFact]
    public async Task Lock_text_round_trips_exactly_and_each_holder_holds_only_its_keys()
    {
        await using var s = await OpenAsync(Setup());
        var leases = new List<ResourceLease>();
        for (var i = 0; i < Texts.Count; i++)
        {
            var h = Texts[i];
            var result = await s.Store.TryAcquireLocksAsync(Id(h), Owner(h), [Key(i, h)]);
            Assert.True(result.Acquired, $"'{h}': {result}");
            Assert.Equal(Id(h), result.Lease.TaskId);
            Assert.Equal(Owner(h), result.Lease.Owner);
            Assert.Equal([Normalized(Key(i, h))], result.Lease.Resources.Select(r => r.Value));
            Assert.Equal(1, result.Lease.Epoch);
            leases.Add(result.Lease);
        }

        Assert.Equal(leases.OrderBy(l => l.TaskId, StringComparer.Ordinal), await s.Store.ListLocksAsync(), FencingConformance.LeaseComparer.Instance);
        for (var i = 0; i < Texts.Count; i++)
        {
            var h = Texts[i];
            var refused = await s.Store.TryAcquireLocksAsync("asker", "w", [Key(i, h), "free-" + i]);
            var conflict = Assert.Single(refused.Conflicts);
            Assert.Equal(Id(h), conflict.HolderTaskId);
            Assert.Equal(Owner(h), conflict.HolderOwner);
            Assert.Equal(Normalized(Key(i, h)), conflict.Resource.Value);
        }

        for (var i = 0; i < leases.Count; i += 2)
        {
            Assert.NotNull(await s.Store.RenewLocksAsync(leases[i]));
            Assert.True(await s.Store.ReleaseLocksAsync(leases[i]));
        }

        Assert.Equal(
            leases.Where((_, i) => i % 2 == 1).Select(l => l.TaskId).Order(StringComparer.Ordinal),
            (await s.Store.ListLocksAsync()).Select(l => l.TaskId));
    }

    [StoreFact]
    public async Task Job_text_round_trips_exactly_and_each_update_touches_only_its_job()
    {
        await using var s = await OpenAsync(Setup());
        var plain = await s.Store.CreateJobAsync(new NewJob("plain", "Running", "{}"));
        foreach (var h in Texts)
        {
            var created = await s.Store.CreateJobAsync(new NewJob(Id(h), h, HostileText.Json(h)));
            Assert.Equal(new StoredJob(Id(h), h, HostileText.Json(h), 1, s.Now, s.Now), created);
        }

        s.Advance(TimeSpan.FromSeconds(1));
        foreach (var h in Texts)
        {
            Assert.Equal(new StoredJob(Id(h), h, HostileText.Json(h), 1, plain.CreatedAt, plain.CreatedAt), await s.Store.GetJobAsync(Id(h)));
            var updated = await s.Store.TryUpdateJobAsync(Id(h), 1, "state " + h, HostileText.Json(h + h));
            Assert.Equal(new StoredJob(Id(h), "state " + h, HostileText.Json(h + h), 2, plain.CreatedAt, s.Now), updated);
            Assert.Null(await s.Store.TryUpdateJobAsync(Id(h), 1, "lost", "{}"));
        }

        var jobs = await s.Store.ListJobsAsync();
        Assert.Equal(Texts.Count + 1, jobs.Count);
        Assert.Equal(jobs.Select(j => j.Id).Order(StringComparer.Ordinal), jobs.Select(j => j.Id));
        Assert.Equal(plain, await s.Store.GetJobAsync("plain"));
    }

    private static string Id(string h) => "id-" + h;

    private static string Kind(string h) => "kind-" + h;

    private static string Owner(string h) => "owner-" + h;

    private static string Key(int i, string h) => $"key{i}-" + h;

    private static JobTaskRef Job(string h) => new(new JobId("job-" + h), "step-" + h);

    private static string Normalized(string key) => ResourceKey.Normalize(key).Value;
}
