namespace Weaver.Stores.Tests.Conformance;

/// <summary>The contract's resource locks (contract 8): all or nothing, conflicts naming holders, per-key epochs that never go down.</summary>
/// <param name="provider">The provider under test.</param>
public abstract class LockConformance(StoreProvider provider) : StoreTests(provider)
{
    [StoreFact]
    public async Task An_acquisition_grants_a_lease_on_the_normalized_distinct_keys_in_key_order()
    {
        await using var s = await OpenAsync();

        var result = await s.Store.TryAcquireLocksAsync("task-1", "w1", ["src\\z.cs", "./src/a.cs", "src/z.cs", "db:x"]);

        Assert.True(result.Acquired);
        Assert.Empty(result.Conflicts);
        var lease = result.Lease;
        Assert.Equal("task-1", lease.TaskId);
        Assert.Equal("w1", lease.Owner);
        Assert.Equal(1, lease.Epoch);
        Assert.Equal(["db:x", "src/a.cs", "src/z.cs"], lease.Resources.Select(r => r.Value));
        Assert.Equal(s.Now + s.StaleAfter, lease.ExpiresAt);
        Assert.Equal(TimeSpan.Zero, lease.ExpiresAt.Offset);
        Assert.Equal([lease], await s.Store.ListLocksAsync(), FencingConformance.LeaseComparer.Instance);
    }

    [StoreFact]
    public async Task Bad_lock_arguments_are_rejected_and_acquire_nothing()
    {
        await using var s = await OpenAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await s.Store.TryAcquireLocksAsync("", "w1", ["a"]));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await s.Store.TryAcquireLocksAsync("t1", "", ["a"]));
        var none = await Assert.ThrowsAnyAsync<ArgumentException>(async () => await s.Store.TryAcquireLocksAsync("t1", "w1", []));
        Assert.Contains("at least one", none.Message, StringComparison.Ordinal);
        var climbing = await Assert.ThrowsAnyAsync<ArgumentException>(async () => await s.Store.TryAcquireLocksAsync("t1", "w1", ["a", "../b"]));
        Assert.Contains("climbs above its root", climbing.Message, StringComparison.Ordinal);

        Assert.Empty(await s.Store.ListLocksAsync());
        Assert.Equal(1, (await s.Store.TryAcquireLocksAsync("t1", "w1", ["a", "b"])).Lease!.Epoch);
    }

    [StoreFact]
    public async Task A_request_that_meets_one_held_key_acquires_none_of_its_keys()
    {
        await using var s = await OpenAsync();
        var held = (await s.Store.TryAcquireLocksAsync("A", "wa", ["k2"])).Lease!;

        var refused = await s.Store.TryAcquireLocksAsync("B", "wb", ["k1", "k2", "k3"]);

        Assert.False(refused.Acquired);
        Assert.Null(refused.Lease);
        var conflict = Assert.Single(refused.Conflicts);
        Assert.Equal(new ResourceConflict(ResourceKey.Normalize("k2"), "A", "wa", held.Epoch, held.ExpiresAt + TimeSpan.FromTicks(1)), conflict);
        Assert.Equal([held], await s.Store.ListLocksAsync(), FencingConformance.LeaseComparer.Instance);
        var other = await s.Store.TryAcquireLocksAsync("C", "wc", ["k1", "k3"]);
        Assert.True(other.Acquired);
        Assert.Equal(1, other.Lease.Epoch);
    }

    [StoreFact]
    public async Task Conflicts_name_every_held_key_with_its_holder_in_key_order()
    {
        await using var s = await OpenAsync();
        var m = (await s.Store.TryAcquireLocksAsync("holder-m", "w1", ["m", "n"])).Lease!;
        s.Advance(TimeSpan.FromSeconds(1));
        var c = (await s.Store.TryAcquireLocksAsync("holder-c", "w2", ["c"])).Lease!;
        Assert.True(await s.Store.ReleaseLocksAsync(c));
        c = (await s.Store.TryAcquireLocksAsync("holder-c", "w2", ["c"])).Lease!;

        var refused = await s.Store.TryAcquireLocksAsync("asker", "w3", ["z", "m", "c", "a", "n"]);

        Assert.Equal(
            [
                new ResourceConflict(ResourceKey.Normalize("c"), "holder-c", "w2", 2, c.ExpiresAt + TimeSpan.FromTicks(1)),
                new ResourceConflict(ResourceKey.Normalize("m"), "holder-m", "w1", 1, m.ExpiresAt + TimeSpan.FromTicks(1)),
                new ResourceConflict(ResourceKey.Normalize("n"), "holder-m", "w1", 1, m.ExpiresAt + TimeSpan.FromTicks(1)),
            ],
            refused.Conflicts);
        Assert.Contains("'c' is held by task 'holder-c' (owner 'w2', epoch 2)", refused.Describe(), StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_holder_asking_again_meets_itself()
    {
        await using var s = await OpenAsync();
        var lease = (await s.Store.TryAcquireLocksAsync("t1", "w1", ["a"])).Lease!;

        var again = await s.Store.TryAcquireLocksAsync("t1", "w1", ["a"]);

        Assert.Equal("t1", Assert.Single(again.Conflicts).HolderTaskId);
        Assert.True(await s.Store.ReleaseLocksAsync(lease));
    }

    [StoreFact]
    public async Task A_key_epoch_never_goes_down_across_releases_stale_holders_and_shared_acquisitions()
    {
        await using var s = await OpenAsync();
        var a1 = (await s.Store.TryAcquireLocksAsync("t1", "w", ["a"])).Lease!;
        Assert.Equal(1, a1.Epoch);
        Assert.True(await s.Store.ReleaseLocksAsync(a1));

        var ab = (await s.Store.TryAcquireLocksAsync("t2", "w", ["a", "b"])).Lease!;
        Assert.Equal(2, ab.Epoch);
        Assert.True(await s.Store.ReleaseLocksAsync(ab));

        var b = (await s.Store.TryAcquireLocksAsync("t3", "w", ["b"])).Lease!;
        Assert.Equal(3, b.Epoch);
        var c = (await s.Store.TryAcquireLocksAsync("t4", "w", ["c"])).Lease!;
        Assert.Equal(1, c.Epoch);
        s.GoStale();

        var bc = (await s.Store.TryAcquireLocksAsync("t5", "w", ["c", "b"])).Lease!;
        Assert.Equal(4, bc.Epoch);
        Assert.True(await s.Store.ReleaseLocksAsync(bc));
        Assert.Equal(5, (await s.Store.TryAcquireLocksAsync("t6", "w", ["c"])).Lease!.Epoch);
        Assert.Equal(3, (await s.Store.TryAcquireLocksAsync("t7", "w", ["a"])).Lease!.Epoch);
    }

    [StoreFact]
    public async Task A_stale_holder_is_released_when_its_keys_are_asked_for_and_its_lease_then_does_nothing()
    {
        await using var s = await OpenAsync();
        var old = (await s.Store.TryAcquireLocksAsync("t1", "w1", ["a", "b"])).Lease!;

        s.Advance(old.ExpiresAt - s.Now);
        Assert.False((await s.Store.TryAcquireLocksAsync("t2", "w2", ["b"])).Acquired);
        s.Advance(StoreHarness.Millisecond);
        var taken = await s.Store.TryAcquireLocksAsync("t2", "w2", ["b"]);

        Assert.True(taken.Acquired);
        Assert.Equal(2, taken.Lease.Epoch);
        Assert.Null(await s.Store.RenewLocksAsync(old));
        Assert.False(await s.Store.ReleaseLocksAsync(old));
        Assert.True((await s.Store.TryAcquireLocksAsync("t3", "w3", ["a"])).Acquired);
        Assert.Equal(["t2", "t3"], (await s.Store.ListLocksAsync()).Select(l => l.TaskId));
    }

    [StoreFact]
    public async Task A_renewal_is_granted_only_to_the_current_live_lease()
    {
        await using var s = await OpenAsync();
        var lease = (await s.Store.TryAcquireLocksAsync("t1", "w1", ["a", "b"])).Lease!;
        s.Advance(TimeSpan.FromSeconds(3));

        Assert.Null(await s.Store.RenewLocksAsync(lease with { Epoch = 2 }));
        Assert.Null(await s.Store.RenewLocksAsync(lease with { TaskId = "t2" }));
        var renewed = await s.Store.RenewLocksAsync(lease);

        Assert.NotNull(renewed);
        Assert.Equal(s.Now + s.StaleAfter, renewed.ExpiresAt);
        Assert.Equal(lease.Epoch, renewed.Epoch);
        Assert.Equal(lease.Resources, renewed.Resources);
        Assert.Equal(renewed.ExpiresAt, (await s.Store.ListLocksAsync()).Single().ExpiresAt);

        // Live up to its new expiry, then stale: no renewal brings it back.
        s.Advance(renewed.ExpiresAt - s.Now);
        renewed = await s.Store.RenewLocksAsync(renewed);
        Assert.NotNull(renewed);
        s.Advance(s.StaleAfter + StoreHarness.Millisecond);
        Assert.Null(await s.Store.RenewLocksAsync(renewed));
        Assert.Empty(await s.Store.ListLocksAsync());
    }

    [StoreFact]
    public async Task A_release_is_granted_only_to_the_current_live_lease_and_only_once()
    {
        await using var s = await OpenAsync();
        var lease = (await s.Store.TryAcquireLocksAsync("t1", "w1", ["a"])).Lease!;

        Assert.False(await s.Store.ReleaseLocksAsync(lease with { Epoch = 7 }));
        Assert.False(await s.Store.ReleaseLocksAsync(lease with { TaskId = "t2" }));
        Assert.Single(await s.Store.ListLocksAsync());
        Assert.True(await s.Store.ReleaseLocksAsync(lease));
        Assert.False(await s.Store.ReleaseLocksAsync(lease));
        Assert.Null(await s.Store.RenewLocksAsync(lease));
        Assert.Empty(await s.Store.ListLocksAsync());

        var next = (await s.Store.TryAcquireLocksAsync("t2", "w2", ["a"])).Lease!;
        Assert.False(await s.Store.ReleaseLocksAsync(lease));
        Assert.Equal([next], await s.Store.ListLocksAsync(), FencingConformance.LeaseComparer.Instance);
    }

    [StoreFact]
    public async Task List_shows_the_live_leases_by_task_id()
    {
        await using var s = await OpenAsync();
        await s.Store.TryAcquireLocksAsync("t-b", "w", ["k1"]);
        await s.Store.TryAcquireLocksAsync("t-a", "w", ["k3", "k2"]);
        var released = (await s.Store.TryAcquireLocksAsync("t-0", "w", ["k0"])).Lease!;
        Assert.True(await s.Store.ReleaseLocksAsync(released));
        s.Advance(TimeSpan.FromSeconds(5));
        await s.Store.TryAcquireLocksAsync("t-c", "w", ["k4"]);
        await s.Store.TryAcquireLocksAsync("T-z", "w", ["k5"]);

        Assert.Equal(["T-z", "t-a", "t-b", "t-c"], (await s.Store.ListLocksAsync()).Select(l => l.TaskId));
        s.Advance(s.StaleAfter - TimeSpan.FromSeconds(5) + StoreHarness.Millisecond);
        Assert.Equal(["T-z", "t-c"], (await s.Store.ListLocksAsync()).Select(l => l.TaskId));
    }

    [StoreFact]
    public async Task Concurrent_requests_for_overlapping_keys_never_share_a_key()
    {
        await using var s = await OpenAsync();
        string[][] sets = [["a", "b"], ["b", "c"], ["c", "d"], ["d", "a"], ["a"], ["c"]];

        var results = await Task.WhenAll(Enumerable.Range(0, 36).Select(i => Task.Run(async () =>
            await s.Store.TryAcquireLocksAsync($"t{i:D2}", $"w{i}", sets[i % sets.Length]))));

        var granted = results.Where(r => r.Acquired).Select(r => r.Lease!).ToList();
        Assert.NotEmpty(granted);
        var keys = granted.SelectMany(l => l.Resources).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal(granted.OrderBy(l => l.TaskId, StringComparer.Ordinal), await s.Store.ListLocksAsync(), FencingConformance.LeaseComparer.Instance);
        Assert.All(results.Where(r => !r.Acquired), r => Assert.All(r.Conflicts, c => Assert.Contains(granted, l => l.TaskId == c.HolderTaskId)));
    }
}
