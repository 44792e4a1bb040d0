using Weaver.Sqlite;
using Weaver.Stores.Tests.Conformance;

namespace Weaver.Stores.Tests.Sqlite;

/// <summary>Resource locks in the store's one lock table: a task's resources at claim, and standalone locks.</summary>
public sealed class SqliteLockTests : IAsyncLifetime
{
    private static readonly string[] Echo = ["echo"];
    private readonly SqliteTestFolder _folder = new();
    private readonly StoreSetup _setup = StoreSetup.Default();
    private SqliteWeaverStore _store = null!;

    private TimeSpan StaleAfter => _setup.Leases.StaleAfter;

    public Task InitializeAsync()
    {
        _store = _folder.Store(_setup);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _folder.DisposeAsync();

    [Fact]
    public async Task A_task_whose_resources_are_held_is_skipped_and_left_as_it_was_until_they_are_released()
    {
        await _store.CreateTaskAsync(new NewTask("first", "echo", null, RetryPolicy.Default) { Resources = ["b.cs", "a.cs"] });
        await _store.CreateTaskAsync(new NewTask("second", "echo", null, RetryPolicy.Default) { Resources = ["a.cs"] });
        await _store.CreateTaskAsync(new NewTask("third", "echo", null, RetryPolicy.Default));

        var claimed = await _store.ClaimAsync("w1", 3, Echo);

        Assert.Equal(["first", "third"], claimed.Select(a => a.TaskId));
        Assert.Equal(["b.cs", "a.cs"], claimed[0].Resources);
        var now = _setup.Time.GetUtcNow();
        var firstHistory = await _store.GetHistoryAsync("first");
        Assert.Equal(new TaskEvent(now, TaskEventKind.ResourcesAcquired, 1, "w1", 1, "Acquired 'a.cs', 'b.cs'."), firstHistory[^2]);
        Assert.Equal(TaskEvents.AttemptStarted(now, 1, "w1", 1), firstHistory[^1]);
        var lease = Assert.Single(await _store.ListLocksAsync());
        Assert.Equal(("first", "w1", 1L, now + StaleAfter), (lease.TaskId, lease.Owner, lease.Epoch, lease.ExpiresAt));
        Assert.Equal(["a.cs", "b.cs"], lease.Resources.Select(k => k.Value));
        var waiting = await _store.GetTaskAsync("second");
        Assert.Equal((TaskLifecycle.State.Queued, 0, 0L), (waiting!.State, waiting.Attempts, waiting.Epoch));
        Assert.Single(await _store.GetHistoryAsync("second"));

        Assert.True(await _store.CompleteAsync(claimed[0], null, 0m));
        var released = (await _store.GetHistoryAsync("first"))[^2];
        Assert.Equal(new TaskEvent(now, TaskEventKind.ResourcesReleased, 1, "w1", 1, "Released 'a.cs', 'b.cs'."), released);
        Assert.Empty(await _store.ListLocksAsync());

        var second = Assert.Single(await _store.ClaimAsync("w2", 3, Echo));
        Assert.Equal("second", second.TaskId);
        Assert.Equal(
            new TaskEvent(now, TaskEventKind.ResourcesAcquired, 1, "w2", 2, "Acquired 'a.cs'."),
            (await _store.GetHistoryAsync("second"))[^2]);
    }

    [Fact]
    public async Task A_renewal_renews_the_task_locks_and_a_sweep_frees_stale_ones_as_already_gone()
    {
        await _store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default) { Resources = ["a"] });
        var attempt = Assert.Single(await _store.ClaimAsync("w1", 1, Echo));
        _setup.Time.Advance(TimeSpan.FromSeconds(5));

        var renewed = await _store.RenewAsync(attempt);

        Assert.Equal(renewed!.ExpiresAt, Assert.Single(await _store.ListLocksAsync()).ExpiresAt);
        _setup.Time.Advance(StaleAfter + TimeSpan.FromTicks(1));
        Assert.Empty(await _store.ListLocksAsync());
        Assert.Equal(1, await _store.SweepAsync());
        var history = await _store.GetHistoryAsync("t1");
        Assert.Equal("The locks on 'a' (epoch 1) were already gone: they went stale.", history[^2].Detail);
        Assert.Equal(TaskEventKind.Reclaimed, history[^1].Kind);
        var again = Assert.Single(await _store.ClaimAsync("w2", 1, Echo));
        Assert.Equal(2, Assert.Single(await _store.ListLocksAsync()).Epoch);
        Assert.Equal((2, 2L), (again.Number, again.Epoch));
    }

    [Fact]
    public async Task Standalone_locks_are_all_or_nothing_with_conflicts_in_key_order_naming_each_holder()
    {
        var held = await _store.TryAcquireLocksAsync("holder", "w1", ["z", "m"]);
        Assert.True(held.Acquired);

        var refused = await _store.TryAcquireLocksAsync("asker", "w2", ["z", "free", "m", "./m"]);

        Assert.False(refused.Acquired);
        var staleAt = held.Lease.ExpiresAt + TimeSpan.FromTicks(1);
        Assert.Equal(
            [
                new ResourceConflict(ResourceKey.Normalize("m"), "holder", "w1", 1, staleAt),
                new ResourceConflict(ResourceKey.Normalize("z"), "holder", "w1", 1, staleAt),
            ],
            refused.Conflicts);
        Assert.Equal(["holder"], (await _store.ListLocksAsync()).Select(l => l.TaskId));
        Assert.True((await _store.TryAcquireLocksAsync("asker", "w2", ["free"])).Acquired);
        var again = await _store.TryAcquireLocksAsync("holder", "w1", ["m"]);
        Assert.Equal("holder", Assert.Single(again.Conflicts).HolderTaskId);
    }

    [Fact]
    public async Task A_key_epoch_never_goes_down_across_release_and_stale_release()
    {
        var first = (await _store.TryAcquireLocksAsync("t1", "w1", ["a"])).Lease!;
        Assert.True(await _store.ReleaseLocksAsync(first));
        Assert.False(await _store.ReleaseLocksAsync(first));
        var second = (await _store.TryAcquireLocksAsync("t2", "w1", ["a", "b"])).Lease!;
        _setup.Time.Advance(StaleAfter + TimeSpan.FromTicks(1));
        Assert.Null(await _store.RenewLocksAsync(second));
        var third = (await _store.TryAcquireLocksAsync("t3", "w2", ["b"])).Lease!;
        var fourth = (await _store.TryAcquireLocksAsync("t4", "w2", ["a", "c"])).Lease!;

        Assert.Equal([1L, 2L, 3L, 3L], new[] { first.Epoch, second.Epoch, third.Epoch, fourth.Epoch });
        Assert.Equal(["t3", "t4"], (await _store.ListLocksAsync()).Select(l => l.TaskId));
    }

    [Fact]
    public async Task Renewal_and_release_need_the_holder_owner_epoch_and_keys_of_a_live_lease()
    {
        var lease = (await _store.TryAcquireLocksAsync("t1", "w1", ["a", "b"])).Lease!;
        _setup.Time.Advance(StaleAfter);

        Assert.Null(await _store.RenewLocksAsync(lease with { Owner = "w2" }));
        Assert.Null(await _store.RenewLocksAsync(lease with { Epoch = 2 }));
        Assert.Null(await _store.RenewLocksAsync(lease with { Resources = [ResourceKey.Normalize("a")] }));
        Assert.False(await _store.ReleaseLocksAsync(lease with { TaskId = "t2" }));
        var renewed = await _store.RenewLocksAsync(lease);
        Assert.Equal(_setup.Time.GetUtcNow() + StaleAfter, renewed!.ExpiresAt);
        Assert.True(await _store.ReleaseLocksAsync(renewed));
        Assert.Empty(await _store.ListLocksAsync());
    }

    [Fact]
    public async Task Bad_lock_requests_are_refused_before_anything_is_written()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.TryAcquireLocksAsync("", "w1", ["a"]).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => _store.TryAcquireLocksAsync("t1", " ", ["a"]).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => _store.TryAcquireLocksAsync("t1", "w1", []).AsTask());
        var climbing = await Assert.ThrowsAsync<ArgumentException>(() => _store.TryAcquireLocksAsync("t1", "w1", ["a", "../b"]).AsTask());

        Assert.Contains("'../b'", climbing.Message, StringComparison.Ordinal);
        Assert.Empty(await _store.ListLocksAsync());
        Assert.Equal(1, (await _store.TryAcquireLocksAsync("t1", "w1", ["a"])).Lease!.Epoch);
    }

    [Fact]
    public async Task Cancelling_a_running_task_releases_its_resources_after_the_cancel_event()
    {
        await _store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default) { Resources = ["a"] });
        Assert.Single(await _store.ClaimAsync("w1", 1, Echo));

        Assert.True(await _store.CancelAsync("t1"));

        var history = await _store.GetHistoryAsync("t1");
        Assert.Equal(TaskEventKind.Cancelled, history[^2].Kind);
        Assert.Equal("Released 'a'.", history[^1].Detail);
        Assert.Empty(await _store.ListLocksAsync());
    }
}
