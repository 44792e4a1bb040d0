namespace Weaver.Stores.Tests.Conformance;

/// <summary>
/// The contract's wait for work: a hint that wakes an idle worker when a task may have become runnable, or at its
/// longest wait by the store's clock. These tests wait for a wake-up in real time only up to a generous deadline, which
/// a correct store never reaches.
/// </summary>
/// <param name="provider">The provider under test.</param>
public abstract class WaitConformance(StoreProvider provider) : StoreTests(provider)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [StoreFact]
    public async Task A_wait_with_nothing_to_do_ends_at_its_longest_wait_by_the_store_clock()
    {
        await using var s = await OpenAsync();

        var wait = s.Store.WaitForWorkAsync(TimeSpan.FromSeconds(5)).AsTask();
        s.Advance(TimeSpan.FromSeconds(5) - StoreHarness.Millisecond);
        Assert.False(wait.IsCompleted, "the wait ended before its longest wait passed on the store's clock");
        s.Advance(StoreHarness.Millisecond);

        await wait.WaitAsync(Deadline);
    }

    [StoreFact]
    public async Task A_wait_wakes_when_a_task_is_created()
    {
        await using var s = await OpenAsync();
        var wait = s.Store.WaitForWorkAsync(TimeSpan.FromHours(1)).AsTask();

        await s.CreateAsync("t1");

        await wait.WaitAsync(Deadline);
        Assert.Equal("t1", (await s.ClaimOneAsync()).TaskId);
    }

    [StoreFact]
    public async Task A_wait_wakes_when_a_task_is_handed_back()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1");
        var attempt = await s.ClaimOneAsync();
        var wait = s.Store.WaitForWorkAsync(TimeSpan.FromHours(1)).AsTask();

        Assert.True(await s.Store.AbandonAsync(attempt, "stopping"));

        await wait.WaitAsync(Deadline);
    }

    [StoreFact]
    public async Task A_wait_wakes_when_a_stale_task_is_taken_back()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1");
        await s.ClaimOneAsync();
        s.GoStale();
        var wait = s.Store.WaitForWorkAsync(TimeSpan.FromHours(1)).AsTask();

        Assert.Equal(1, await s.Store.SweepAsync());

        await wait.WaitAsync(Deadline);
    }

    [StoreFact]
    public async Task A_wait_wakes_when_a_retry_comes_due()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1");
        Assert.True(await s.Store.FailAsync(await s.ClaimOneAsync(), "boom", 0m));
        var wait = s.Store.WaitForWorkAsync(TimeSpan.FromHours(1)).AsTask();

        s.Advance(Policies.ThreeTries.InitialDelay);

        await wait.WaitAsync(Deadline);
        Assert.Equal("t1", (await s.ClaimOneAsync()).TaskId);
    }

    [StoreFact]
    public async Task A_wait_wakes_when_the_resources_a_skipped_task_needs_are_freed()
    {
        await using var s = await OpenAsync();
        var manual = (await s.Store.TryAcquireLocksAsync("manual", "ops", ["r"])).Lease!;
        await s.CreateAsync("t1", resources: ["r"]);
        Assert.Empty(await s.ClaimAsync());
        var wait = s.Store.WaitForWorkAsync(TimeSpan.FromHours(1)).AsTask();

        Assert.True(await s.Store.ReleaseLocksAsync(manual));

        await wait.WaitAsync(Deadline);
        Assert.Equal("t1", (await s.ClaimOneAsync()).TaskId);
    }

    [StoreFact]
    public async Task A_cancelled_wait_throws()
    {
        await using var s = await OpenAsync();
        using var cancel = new CancellationTokenSource();
        var wait = s.Store.WaitForWorkAsync(TimeSpan.FromHours(1), cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Deadline));
    }
}
