namespace Weaver.Stores.Tests.Conformance;

/// <summary>
/// The contract's fencing (contract 4, 5): every write of an attempt that no longer holds the task's current, live lease
/// is rejected, recorded as exactly one rejected write, and changes nothing else.
/// </summary>
/// <param name="provider">The provider under test.</param>
public abstract class FencingConformance(StoreProvider provider) : StoreTests(provider)
{
    /// <summary>How the zombie lost its lease.</summary>
    public enum Situation
    {
        /// <summary>Taken back by a sweep and claimed again: a newer epoch holds a live lease.</summary>
        StaleEpoch,

        /// <summary>Taken back by a sweep: the task is queued again.</summary>
        AfterSweep,

        /// <summary>The task was cancelled while the attempt ran.</summary>
        AfterCancel,

        /// <summary>The lease expired (now &gt; ExpiresAt) and no sweep ran yet: the task is still running under it.</summary>
        ExpiredBeforeSweep,

        /// <summary>The attempt itself committed already.</summary>
        AfterCommit,
    }

    /// <summary>What the zombie tries.</summary>
    public enum Write
    {
        Renew,
        Complete,
        Fail,
        FailPermanently,
        Abandon,
        Decision,
        Artifact,
    }

    public static TheoryData<Situation, Write> Cases
    {
        get
        {
            var data = new TheoryData<Situation, Write>();
            foreach (var situation in Enum.GetValues<Situation>())
            {
                foreach (var write in Enum.GetValues<Write>())
                {
                    data.Add(situation, write);
                }
            }

            return data;
        }
    }

    [StoreTheory]
    [MemberData(nameof(Cases))]
    public async Task A_write_without_the_current_live_lease_is_rejected_recorded_and_changes_nothing_else(Situation situation, Write write)
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1", resources: ["r1"], job: new JobTaskRef(new JobId("job"), "step"));
        await s.CreateAsync("bystander");
        var zombie = await s.ClaimOneAsync("zombie");
        Assert.Equal("bystander", (await s.ClaimOneAsync("other")).TaskId);
        StoredAttempt? successor = null;
        switch (situation)
        {
            case Situation.StaleEpoch:
                s.GoStale();
                Assert.Equal(2, await s.Store.SweepAsync());
                successor = await s.ClaimOneAsync("successor");
                Assert.Equal("t1", successor.TaskId);
                break;
            case Situation.AfterSweep:
                s.GoStale();
                Assert.Equal(2, await s.Store.SweepAsync());
                break;
            case Situation.AfterCancel:
                Assert.True(await s.Store.CancelAsync("t1"));
                break;
            case Situation.ExpiredBeforeSweep:
                s.GoStale();
                break;
            case Situation.AfterCommit:
                Assert.True(await s.Store.CompleteAsync(zombie, "\"first\"", 1m));
                break;
        }

        s.Advance(StoreHarness.Millisecond);
        var before = await s.GetAsync("t1");
        var history = await s.HistoryAsync("t1");
        var bystanderBefore = await s.GetAsync("bystander");
        var bystanderHistory = await s.HistoryAsync("bystander");
        var locks = await s.Store.ListLocksAsync();
        var now = s.Now;

        TaskEvent rejection;
        switch (write)
        {
            case Write.Renew:
                Assert.Null(await s.Store.RenewAsync(zombie));
                rejection = TaskEvents.HeartbeatRejected(now, zombie.Number, zombie.Owner, zombie.Epoch);
                break;
            case Write.Complete:
                Assert.False(await s.Store.CompleteAsync(zombie, "\"zombie\"", 5m));
                rejection = TaskEvents.Rejected(now, zombie.Number, zombie.Owner, zombie.Epoch, "commit");
                break;
            case Write.Fail:
                Assert.False(await s.Store.FailAsync(zombie, "zombie failure", 5m));
                rejection = TaskEvents.Rejected(now, zombie.Number, zombie.Owner, zombie.Epoch, "failure");
                break;
            case Write.FailPermanently:
                Assert.False(await s.Store.FailAsync(zombie, "zombie failure", 5m, permanent: true));
                rejection = TaskEvents.Rejected(now, zombie.Number, zombie.Owner, zombie.Epoch, "failure");
                break;
            case Write.Abandon:
                Assert.False(await s.Store.AbandonAsync(zombie, "zombie shutting down"));
                rejection = TaskEvents.Rejected(now, zombie.Number, zombie.Owner, zombie.Epoch, "hand-back");
                break;
            case Write.Decision:
                Assert.False(await s.Store.RecordDecisionAsync(zombie, new Decision("p", "e", "zombie change")));
                rejection = TaskEvents.Rejected(now, zombie.Number, zombie.Owner, zombie.Epoch, "decision");
                break;
            case Write.Artifact:
                Assert.False(await s.Store.AppendArtifactAsync(zombie, Artifact(zombie, "out/zombie.txt", now)));
                rejection = TaskEvents.Rejected(now, zombie.Number, zombie.Owner, zombie.Epoch, "write of artifact 'out/zombie.txt'");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(write), write, "not a case of this test");
        }

        Assert.Equal(TaskEventKind.WriteRejected, rejection.Kind);
        Expect.SameTask(before, await s.GetAsync("t1"));
        Expect.Appended(history, [rejection], await s.HistoryAsync("t1"));
        Expect.SameTask(bystanderBefore, await s.GetAsync("bystander"));
        Expect.SameHistory(bystanderHistory, await s.HistoryAsync("bystander"));
        Assert.Equal(locks, await s.Store.ListLocksAsync(), LeaseComparer.Instance);
        Assert.Empty(await s.Store.ListArtifactsAsync("job", "step"));
        if (successor is not null)
        {
            Assert.NotNull(await s.Store.RenewAsync(successor));
            Assert.True(await s.Store.CompleteAsync(successor, "\"successor\"", 0m));
            Assert.Equal("\"successor\"", (await s.GetAsync("t1")).Result);
        }
    }

    [StoreFact]
    public async Task A_lease_is_live_up_to_and_including_its_expiry()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1");
        var attempt = await s.ClaimOneAsync();

        s.Advance(attempt.ExpiresAt - s.Now);
        var renewed = await s.Store.RenewAsync(attempt);

        Assert.NotNull(renewed);
        Assert.Equal(s.Now + s.StaleAfter, renewed.ExpiresAt);
        Expect.SameAttempt(attempt with { ExpiresAt = renewed.ExpiresAt }, renewed);
        s.Advance(renewed.ExpiresAt - s.Now);
        Assert.True(await s.Store.RecordDecisionAsync(renewed, new Decision("p", "e", "c")));
        Assert.True(await s.Store.CompleteAsync(renewed, "1", 0m));
    }

    [StoreFact]
    public async Task A_renewal_moves_the_expiry_of_the_task_and_of_its_locks()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1", resources: ["r1", "r2"]);
        var attempt = await s.ClaimOneAsync();
        s.Advance(TimeSpan.FromSeconds(5));

        var renewed = await s.Store.RenewAsync(attempt);

        Assert.NotNull(renewed);
        Assert.Equal(s.Now + s.StaleAfter, renewed.ExpiresAt);
        Assert.Equal(attempt.Epoch, renewed.Epoch);
        Assert.Equal(attempt.Number, renewed.Number);
        Assert.Equal(["r1", "r2"], renewed.Resources);
        var task = await s.GetAsync("t1");
        Assert.Equal(renewed.ExpiresAt, task.LeaseExpiresAt);
        Assert.Equal(renewed.ExpiresAt, Assert.Single(await s.Store.ListLocksAsync()).ExpiresAt);

        // Past the first expiry, within the renewed one: the task and its locks are still held.
        s.Advance(attempt.ExpiresAt - s.Now + StoreHarness.Millisecond);
        Assert.True(s.Now > attempt.ExpiresAt && s.Now <= renewed.ExpiresAt);
        Assert.Equal(0, await s.Store.SweepAsync());
        await s.CreateAsync("t2", resources: ["r2"]);
        Assert.Empty(await s.ClaimAsync("w2"));
        Assert.True(await s.Store.CompleteAsync(renewed, "1", 0m));
        Assert.Equal("t2", (await s.ClaimOneAsync("w2")).TaskId);
    }

    [StoreFact]
    public async Task Writes_under_the_renewed_lease_and_the_first_one_are_both_the_same_epoch()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1");
        var attempt = await s.ClaimOneAsync();
        s.Advance(TimeSpan.FromSeconds(5));
        Assert.NotNull(await s.Store.RenewAsync(attempt));

        // The condition is (id, epoch, running, live): the attempt as first claimed still writes.
        Assert.True(await s.Store.RecordDecisionAsync(attempt, new Decision("p", "e", "c")));
    }

    [StoreFact]
    public async Task When_a_zombie_and_the_new_owner_both_commit_exactly_one_commit_wins()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1");
        var zombie = await s.ClaimOneAsync("zombie");
        s.GoStale();
        Assert.Equal(1, await s.Store.SweepAsync());
        var owner = await s.ClaimOneAsync("owner");

        var results = await Task.WhenAll(
            Task.Run(async () => await s.Store.CompleteAsync(zombie, "\"zombie\"", 1m)),
            Task.Run(async () => await s.Store.CompleteAsync(owner, "\"owner\"", 2m)));

        Assert.Equal([false, true], results);
        var task = await s.GetAsync("t1");
        Assert.Equal(TaskLifecycle.State.Succeeded, task.State);
        Assert.Equal("\"owner\"", task.Result);
        Assert.Equal(2m, task.Cost);
        var history = await s.HistoryAsync("t1");
        var succeeded = Assert.Single(history, e => e.Kind == TaskEventKind.Succeeded);
        Assert.Equal(owner.Epoch, succeeded.Epoch);
        var rejected = Assert.Single(history, e => e.Kind == TaskEventKind.WriteRejected);
        Assert.Equal(zombie.Epoch, rejected.Epoch);
    }

    [StoreFact]
    public async Task Racing_terminal_writes_of_one_attempt_end_the_task_once()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1", retry: Policies.OneTry);
        var attempt = await s.ClaimOneAsync();

        var writes = Enumerable.Range(0, 24).Select(i => Task.Run(async () => (i % 3) switch
        {
            0 => await s.Store.CompleteAsync(attempt, $"{i}", 1m),
            1 => await s.Store.FailAsync(attempt, $"error {i}", 1m),
            _ => await s.Store.CancelAsync("t1"),
        })).ToArray();
        var results = await Task.WhenAll(writes);

        Assert.Equal(1, results.Count(accepted => accepted));
        var task = await s.GetAsync("t1");
        Assert.True(task.IsTerminal);
        var history = await s.HistoryAsync("t1");
        Assert.Single(history, e => e.Kind is TaskEventKind.Succeeded or TaskEventKind.Dead or TaskEventKind.Cancelled);
        Assert.Equal(results.Where((_, i) => i % 3 != 2).Count(accepted => !accepted), history.Count(e => e.Kind == TaskEventKind.WriteRejected));
        Assert.Equal(task.State == TaskLifecycle.State.Cancelled ? 0m : 1m, task.Cost);
    }

    [StoreFact]
    public async Task Negative_costs_are_rejected_with_an_argument_error_and_change_nothing()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("t1");
        var attempt = await s.ClaimOneAsync();
        var before = await s.GetAsync("t1");
        var history = await s.HistoryAsync("t1");

        Assert.Equal("cost", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await s.Store.CompleteAsync(attempt, "1", -0.01m))).ParamName);
        Assert.Equal("cost", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await s.Store.FailAsync(attempt, "x", -1m))).ParamName);

        Expect.SameTask(before, await s.GetAsync("t1"));
        Expect.SameHistory(history, await s.HistoryAsync("t1"));
        Assert.True(await s.Store.CompleteAsync(attempt, "1", 0m));
    }

    internal static ArtifactRef Artifact(StoredAttempt attempt, string name, DateTimeOffset at) =>
        new("job", "step", attempt.Number, name, ArtifactKind.File, new string('a', 64), 12, null, at);

    /// <summary>Compares lock leases by value, their resources by content.</summary>
    internal sealed class LeaseComparer : IEqualityComparer<ResourceLease>
    {
        public static LeaseComparer Instance { get; } = new();

        public bool Equals(ResourceLease? x, ResourceLease? y) =>
            x is not null && y is not null
            && x.TaskId == y.TaskId && x.Owner == y.Owner && x.Epoch == y.Epoch && x.ExpiresAt == y.ExpiresAt
            && x.Resources.SequenceEqual(y.Resources);

        public int GetHashCode(ResourceLease obj) => HashCode.Combine(obj.TaskId, obj.Epoch);
    }
}
