using Weaver.Stores.Tests.Conformance;

namespace Weaver.Stores.Tests.InMemory;

/// <summary>
/// What only the in-memory store does: it runs only registered kinds, and it is the engine, so the typed API and the
/// store see the same tasks.
/// </summary>
public sealed class InMemoryStoreTests
{
    private static readonly InMemoryStoreProvider Provider = new();

    [Fact]
    public async Task A_task_of_an_unregistered_kind_is_rejected_with_the_registered_kinds_and_not_stored()
    {
        await using var s = await OpenAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await s.CreateAsync("t1", "nope"));

        Assert.Equal("kind", error.ParamName);
        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
        Assert.Contains("registered kinds: echo, other", error.Message, StringComparison.Ordinal);
        Assert.Empty(await s.Store.ListTasksAsync());
    }

    [Fact]
    public async Task The_typed_submit_still_rejects_a_duplicate_id_with_an_argument_error_and_the_store_with_its_own()
    {
        await using var s = await OpenAsync();
        var engine = (TaskEngine)s.Store;
        engine.Submit("echo", "{}", id: "t1");

        Assert.Equal("id", Assert.Throws<ArgumentException>(() => engine.Submit("echo", "{}", id: "t1")).ParamName);
        Assert.Equal("t1", (await Assert.ThrowsAsync<DuplicateTaskException>(async () => await s.CreateAsync("t1"))).TaskId);
        await s.CreateAsync("t2");
        Assert.Equal("id", Assert.Throws<ArgumentException>(() => engine.Submit("echo", "{}", id: "t2")).ParamName);
    }

    [Fact]
    public async Task A_typed_payload_that_is_not_a_string_shows_as_null_and_a_string_as_is()
    {
        await using var s = await OpenAsync();
        var engine = (TaskEngine)s.Store;
        engine.Submit("echo", 42, Policies.ThreeTries, id: "number");
        engine.Submit("echo", """{"a":1}""", Policies.ThreeTries, id: "text");

        Assert.Null((await s.GetAsync("number")).Input);
        Assert.Equal("""{"a":1}""", (await s.GetAsync("text")).Input);
        var attempts = await s.ClaimAsync();
        Assert.Null(attempts.Single(a => a.TaskId == "number").Input);

        Assert.True(engine.TryStartAttempt("number", "typed", out _) is false, "the store's claim holds it");
        Assert.True(engine.TryComplete(new TaskAttempt("number", "echo", 42, 1, attempts.Single(a => a.TaskId == "number").Lease, CancellationToken.None), 43));
        Assert.Null((await s.GetAsync("number")).Result);
        Assert.Equal(43, engine.Get("number").Result);
    }

    [Fact]
    public async Task Tasks_started_by_the_engine_and_claimed_by_the_store_are_one_set_of_tasks()
    {
        await using var s = await OpenAsync();
        var engine = (TaskEngine)s.Store;
        await s.CreateAsync("stored");
        engine.Submit("echo", "{}", Policies.ThreeTries, id: "typed");

        Assert.True(engine.Queue.TryDequeue(out var first));
        Assert.Equal("stored", first);
        Assert.True(engine.TryStartAttempt(first, "engine-worker", out var started));
        var claimed = await s.ClaimOneAsync("store-worker");

        Assert.Equal("typed", claimed.TaskId);
        Assert.Equal(TaskLifecycle.State.Running, engine.Get("typed").State);
        var stored = await s.GetAsync("stored");
        Assert.Equal("engine-worker", stored.Owner);
        Assert.Equal(started.Lease.Epoch, stored.Epoch);

        // A worker's heartbeat renews the claim table directly; the store shows the renewed expiry.
        s.Advance(TimeSpan.FromSeconds(3));
        Assert.True(engine.Claims.TryRenew(started.Lease, out var renewed));
        Assert.Equal(renewed.ExpiresAt, (await s.GetAsync("stored")).LeaseExpiresAt);

        // The store fences the engine's attempt like any other.
        var asStored = new StoredAttempt("stored", "echo", "{}", 1, "engine-worker", started.Lease.Epoch, renewed.ExpiresAt);
        Assert.True(await s.Store.CompleteAsync(asStored, "\"done\"", 1m));
        Assert.False(engine.TryComplete(started, "again"));
        Assert.Equal(TaskLifecycle.State.Succeeded, (await engine.WaitForCompletionAsync("stored")).State);
    }

    [Fact]
    public async Task Writes_for_a_task_the_store_never_had_change_nothing()
    {
        await using var s = await OpenAsync();
        var ghost = new StoredAttempt("ghost", "echo", "{}", 1, "w1", 1, s.Now.AddMinutes(1));

        Assert.Null(await s.Store.RenewAsync(ghost));
        Assert.False(await s.Store.CompleteAsync(ghost, "1", 0m));
        Assert.False(await s.Store.FailAsync(ghost, "x", 0m));
        Assert.False(await s.Store.AbandonAsync(ghost, "x"));
        Assert.False(await s.Store.RecordDecisionAsync(ghost, new Decision("p", "e", "c")));
        Assert.False(await s.Store.AppendArtifactAsync(ghost, new ArtifactRef("ghost", "ghost", 1, "a", ArtifactKind.File, null, 0, null, s.Now)));

        Assert.Empty(await s.Store.ListTasksAsync());
        Assert.Empty(await s.HistoryAsync("ghost"));
        Assert.Empty(await s.Store.ListArtifactsAsync("ghost", "ghost"));
    }

    [Fact]
    public async Task A_store_claim_skips_a_blocked_task_without_using_up_an_epoch_or_recording_a_wait()
    {
        await using var s = await OpenAsync();
        var engine = (TaskEngine)s.Store;
        var manual = (await s.Store.TryAcquireLocksAsync("manual", "ops", ["r"])).Lease!;
        await s.CreateAsync("t1", resources: ["r"]);

        for (var i = 0; i < 3; i++)
        {
            Assert.Empty(await s.ClaimAsync());
        }

        Assert.Equal(0, engine.Claims.LatestEpoch("t1"));
        Assert.Single(await s.HistoryAsync("t1"));
        Assert.True(await s.Store.ReleaseLocksAsync(manual));
        Assert.Equal(1, (await s.ClaimOneAsync()).Epoch);
    }

    [Fact]
    public async Task Disposing_the_store_twice_is_harmless_and_it_then_takes_no_new_work()
    {
        var s = await OpenAsync();
        await s.CreateAsync("t1");
        await s.DisposeAsync();
        await s.DisposeAsync();
        ((TaskEngine)s.Store).Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await s.CreateAsync("t2"));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await s.ClaimAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await s.Store.WaitForWorkAsync(TimeSpan.FromSeconds(1)));
        Assert.Equal(TaskLifecycle.State.Queued, (await s.GetAsync("t1")).State);
    }

    private static async Task<StoreHarness> OpenAsync()
    {
        var setup = StoreSetup.Default();
        return new StoreHarness(await Provider.CreateAsync(setup), setup);
    }
}
