using Weaver.Sqlite;
using Weaver.Stores.Tests.Conformance;

namespace Weaver.Stores.Tests.Sqlite;

/// <summary>
/// SQLite has no notifications: an idle worker waits one poll interval by the store's clock, or until this store itself
/// makes work claimable. The clock is fake; the deadlines only bound a test that would otherwise hang.
/// </summary>
public sealed class SqliteWaitForWorkTests : IAsyncLifetime
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly SqliteTestFolder _folder = new();
    private readonly StoreSetup _setup = StoreSetup.Default();
    private SqliteWeaverStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteWeaverStore.OpenAsync(_folder.Options(_setup) with { PollInterval = Poll });

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _folder.DisposeAsync();
    }

    [Fact]
    public async Task An_idle_wait_ends_after_one_poll_interval_of_the_store_clock()
    {
        var wait = _store.WaitForWorkAsync(TimeSpan.FromMinutes(1)).AsTask();

        _setup.Time.Advance(Poll - TimeSpan.FromTicks(1));
        Assert.False(wait.IsCompleted);
        _setup.Time.Advance(TimeSpan.FromTicks(1));
        await wait.WaitAsync(Deadline);
    }

    [Fact]
    public async Task A_wait_shorter_than_the_poll_interval_ends_at_its_own_timeout()
    {
        var wait = _store.WaitForWorkAsync(TimeSpan.FromSeconds(2)).AsTask();

        _setup.Time.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromTicks(1));
        Assert.False(wait.IsCompleted);
        _setup.Time.Advance(TimeSpan.FromTicks(1));
        await wait.WaitAsync(Deadline);
        Assert.True(_store.WaitForWorkAsync(TimeSpan.Zero).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_submission_by_this_store_wakes_its_waiters_at_once()
    {
        var wait = _store.WaitForWorkAsync(TimeSpan.FromMinutes(1)).AsTask();
        Assert.False(wait.IsCompleted);

        await _store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default));

        await wait.WaitAsync(Deadline);
    }

    [Fact]
    public async Task A_hand_back_and_a_take_back_wake_waiters()
    {
        await _store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default));
        var attempt = Assert.Single(await _store.ClaimAsync("w1", 1, ["echo"]));
        var handBack = _store.WaitForWorkAsync(TimeSpan.FromMinutes(1)).AsTask();
        Assert.True(await _store.AbandonAsync(attempt, "shutting down"));
        await handBack.WaitAsync(Deadline);

        Assert.Single(await _store.ClaimAsync("w1", 1, ["echo"]));
        _setup.Time.Advance(_setup.Leases.StaleAfter + TimeSpan.FromTicks(1));
        var takeBack = _store.WaitForWorkAsync(TimeSpan.FromMinutes(1)).AsTask();
        Assert.Equal(1, await _store.SweepAsync());
        await takeBack.WaitAsync(Deadline);
    }

    [Fact]
    public async Task A_retry_this_store_scheduled_ends_a_wait_when_it_comes_due_before_the_next_poll()
    {
        var retry = new RetryPolicy { MaxAttempts = 2, InitialDelay = TimeSpan.FromSeconds(2), Jitter = 0 };
        await _store.CreateTaskAsync(new NewTask("t1", "echo", null, retry));
        Assert.True(await _store.FailAsync(Assert.Single(await _store.ClaimAsync("w1", 1, ["echo"])), "boom", 0m));
        var wait = _store.WaitForWorkAsync(TimeSpan.FromMinutes(1)).AsTask();

        _setup.Time.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromTicks(1));
        Assert.False(wait.IsCompleted);
        _setup.Time.Advance(TimeSpan.FromTicks(1));
        await wait.WaitAsync(Deadline);

        Assert.Single(await _store.ClaimAsync("w1", 1, ["echo"]));
        var next = _store.WaitForWorkAsync(TimeSpan.FromMinutes(1)).AsTask();
        _setup.Time.Advance(Poll - TimeSpan.FromTicks(1));
        Assert.False(next.IsCompleted, "a retry that already came due ended a later wait early");
        _setup.Time.Advance(TimeSpan.FromTicks(1));
        await next.WaitAsync(Deadline);
    }

    [Fact]
    public async Task Another_store_submission_is_seen_at_the_next_poll_not_before()
    {
        await using var other = await SqliteWeaverStore.OpenAsync(_folder.Options(_setup));
        var wait = _store.WaitForWorkAsync(TimeSpan.FromMinutes(1)).AsTask();

        await other.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default));
        Assert.False(wait.IsCompleted);
        _setup.Time.Advance(Poll);
        await wait.WaitAsync(Deadline);

        Assert.Single(await _store.ClaimAsync("w1", 1, ["echo"]));
    }

    [Fact]
    public async Task A_cancelled_wait_throws_and_disposing_the_store_ends_waits()
    {
        using var cancel = new CancellationTokenSource();
        var cancelled = _store.WaitForWorkAsync(TimeSpan.FromMinutes(1), cancel.Token).AsTask();
        var pending = _store.WaitForWorkAsync(TimeSpan.FromMinutes(1)).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Deadline));
        Assert.False(pending.IsCompleted);
        await _store.DisposeAsync();
        await pending.WaitAsync(Deadline);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _store.WaitForWorkAsync(TimeSpan.FromSeconds(1)).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _store.GetTaskAsync("t1").AsTask());
    }

    [Fact]
    public async Task A_negative_wait_is_refused()
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _store.WaitForWorkAsync(TimeSpan.FromSeconds(-1)).AsTask());

        Assert.Contains("zero or more", error.Message, StringComparison.Ordinal);
    }
}
