using Weaver.Runtime.Tests.Telemetry;
using static Weaver.WeaverTelemetry;

namespace Weaver.Stores.Tests.Conformance;

/// <summary>
/// What a store reports to Weaver's meter (<see cref="StoreTelemetry"/>): one script of claims, a commit, failures, a
/// sweep and a zombie's write counts the same on every store. Each test's tasks have a kind of their own, so stores
/// tested at the same time do not show in its counts.
/// </summary>
/// <param name="provider">The provider under test.</param>
public abstract class MetricsConformance(StoreProvider provider) : StoreTests(provider)
{
    [StoreFact]
    public async Task Claims_commits_failures_sweeps_and_rejected_writes_are_counted_once_each_by_kind()
    {
        var kind = $"metered-{Guid.NewGuid():N}";
        using var capture = new TelemetryCapture();
        await using var s = await OpenAsync(StoreSetup.Default() with { Kinds = [kind] });

        // Two attempts go stale and are swept: one is queued again, one had no attempts left and dies.
        await s.CreateAsync("stale-retried", kind, retry: Policies.ThreeTries);
        await s.CreateAsync("stale-dead", kind, retry: Policies.OneTry);
        var stale = await s.ClaimAsync("w1", 2);
        Assert.Equal(2, stale.Count);
        s.GoStale();
        Assert.Equal(2, await s.Store.SweepAsync());

        // The zombie's commit is rejected; the task's next attempt commits.
        var zombie = stale.Single(a => a.TaskId == "stale-retried");
        Assert.False(await s.Store.CompleteAsync(zombie, "\"late\"", 1m));
        var successor = await s.ClaimOneAsync("w2");
        Assert.Equal("stale-retried", successor.TaskId);
        Assert.True(await s.Store.CompleteAsync(successor, "\"done\"", 1m));

        // Two failures: one is retried, one was the last attempt.
        await s.CreateAsync("fails-retried", kind, retry: Policies.ThreeTries);
        await s.CreateAsync("fails-dead", kind, retry: Policies.OneTry);
        var failing = await s.ClaimAsync("w3", 2);
        Assert.Equal(2, failing.Count);
        foreach (var attempt in failing)
        {
            Assert.True(await s.Store.FailAsync(attempt, "boom", 1m));
        }

        Assert.Equal(
            [
                (Instruments.Claims, 5.0),
                (Instruments.Completions, 1.0),
                (Instruments.Failures, 2.0),
                (Instruments.Retries, 1.0),
                (Instruments.Dead, 2.0), // one swept, one failed
                (Instruments.StaleReclaims, 2.0), // the dead one was taken back too
                (Instruments.RejectedWrites, 1.0),
            ],
            new[]
            {
                Instruments.Claims, Instruments.Completions, Instruments.Failures, Instruments.Retries, Instruments.Dead,
                Instruments.StaleReclaims, Instruments.RejectedWrites,
            }.Select(instrument => (instrument, capture.Total(instrument, kind))));
    }

    [StoreFact]
    public async Task A_refused_claim_or_renewal_counts_nothing()
    {
        var kind = $"metered-{Guid.NewGuid():N}";
        using var capture = new TelemetryCapture();
        await using var s = await OpenAsync(StoreSetup.Default() with { Kinds = [kind] });
        await s.CreateAsync("t1", kind);
        var held = await s.ClaimOneAsync("w1");

        Assert.Empty(await s.ClaimAsync("w2"));
        Assert.NotNull(await s.Store.RenewAsync(held));

        Assert.Equal(1, capture.Total(Instruments.Claims, kind));
        Assert.Equal(0, capture.Total(Instruments.RejectedWrites, kind));
    }
}
