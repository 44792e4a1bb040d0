using static Weaver.Runtime.Tests.Claims.ClaimTableKit;

namespace Weaver.Runtime.Tests.Claims;

/// <summary>Claim, renew, release, stale takeover, zombies and the sweeper, one step at a time on a fake clock.</summary>
public sealed class ClaimTableLifecycleTests
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(420);

    [Fact]
    public void A_first_claim_gets_epoch_1_and_expires_StaleAfter_from_now()
    {
        var (clock, table) = NewTable();
        clock.Advance(TimeSpan.FromSeconds(7));

        Assert.True(table.TryClaim("task-1", "w1", out var lease));

        Assert.Equal(new Lease<string>("task-1", "w1", 1, Start + TimeSpan.FromSeconds(7) + StaleAfter), lease);
        Assert.True(table.TryGetHolder("task-1", out var holder));
        Assert.Equal(lease, holder);
        Assert.True(table.IsCurrent(lease));
        Assert.Equal(1, table.LatestEpoch("task-1"));
        Assert.Empty(table.StaleLeases());
    }

    [Fact]
    public void Renewing_moves_ExpiresAt_to_now_plus_StaleAfter_and_keeps_the_epoch()
    {
        var (clock, table) = NewTable();
        Assert.True(table.TryClaim("task-1", "w1", out var lease));

        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.True(table.TryRenew(lease, out var renewed));
        Assert.Equal(lease with { ExpiresAt = Start + TimeSpan.FromSeconds(60) + StaleAfter }, renewed);

        clock.Advance(Ms(1));
        Assert.True(table.TryRenew(renewed, out var again));
        Assert.Equal(clock.GetUtcNow() + StaleAfter, again.ExpiresAt);
        Assert.Equal(("task-1", "w1", 1L), (again.Key, again.Owner, again.Epoch));

        Assert.True(table.TryGetHolder("task-1", out var holder));
        Assert.Equal(again, holder);
        Assert.Equal(1, table.LatestEpoch("task-1"));
    }

    [Fact]
    public void The_lease_a_claim_returned_renews_even_after_later_renewals_changed_ExpiresAt()
    {
        // Only key, owner and epoch identify a lease; ExpiresAt is information for the holder.
        var (clock, table) = NewTable();
        Assert.True(table.TryClaim("task-1", "w1", out var original));
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.True(table.TryRenew(original, out _));
        clock.Advance(TimeSpan.FromSeconds(60));

        Assert.True(table.TryRenew(original, out var renewed));
        Assert.Equal(Start + TimeSpan.FromSeconds(120) + StaleAfter, renewed.ExpiresAt);
    }

    [Fact]
    public void Release_frees_the_key_and_the_next_claim_gets_the_next_epoch()
    {
        var (clock, table) = NewTable();
        Assert.True(table.TryClaim("task-1", "w1", out var first));

        Assert.True(table.TryRelease(first));

        Assert.False(table.TryGetHolder("task-1", out var none));
        Assert.Equal(default, none);
        Assert.False(table.IsCurrent(first));
        Assert.Empty(table.StaleLeases());
        Assert.Equal(1, table.LatestEpoch("task-1"));
        Assert.False(table.TryRenew(first, out var notRenewed));
        Assert.Equal(first, notRenewed);
        Assert.False(table.TryRelease(first));

        clock.Advance(Ms(5));
        Assert.True(table.TryClaim("task-1", "w2", out var second));
        Assert.Equal(new Lease<string>("task-1", "w2", 2, Start + Ms(5) + StaleAfter), second);

        Assert.True(table.TryRelease(second));
        Assert.True(table.TryClaim("task-1", "w1", out var third));
        Assert.Equal(3, third.Epoch);
        Assert.Equal(3, table.LatestEpoch("task-1"));
    }

    [Fact]
    public void The_same_owner_reclaiming_after_release_gets_a_new_epoch_and_its_old_lease_stays_dead()
    {
        var (_, table) = NewTable();
        Assert.True(table.TryClaim("task-1", "w1", out var old));
        Assert.True(table.TryRelease(old));
        Assert.True(table.TryClaim("task-1", "w1", out var fresh));
        Assert.Equal(2, fresh.Epoch);
        var before = Snapshot(table, "task-1");

        Assert.False(table.TryRenew(old, out _));
        Assert.False(table.TryRelease(old));
        Assert.False(table.IsCurrent(old));

        Assert.Equal(before, Snapshot(table, "task-1"));
        Assert.True(table.IsCurrent(fresh));
    }

    [Fact]
    public void A_second_claimant_gets_false_and_the_holders_lease()
    {
        var (clock, table) = NewTable();
        Assert.True(table.TryClaim("task-1", "w1", out var held));
        clock.Advance(TimeSpan.FromSeconds(10));
        var before = Snapshot(table, "task-1");

        Assert.False(table.TryClaim("task-1", "w2", out var conflict));

        Assert.Equal(held, conflict);
        Assert.Equal(("w1", 1L, Start + StaleAfter), (conflict.Owner, conflict.Epoch, conflict.ExpiresAt));
        Assert.Equal(before, Snapshot(table, "task-1"));
        Assert.True(table.IsCurrent(held));
    }

    [Fact]
    public void A_claim_is_not_reentrant_the_holder_claiming_again_is_told_it_already_holds_the_key()
    {
        var (_, table) = NewTable();
        Assert.True(table.TryClaim("task-1", "w1", out var held));

        Assert.False(table.TryClaim("task-1", "w1", out var conflict));

        Assert.Equal(held, conflict);
        Assert.Equal(1, table.LatestEpoch("task-1"));
    }

    [Fact]
    public void After_a_renewal_a_conflict_reports_the_renewed_ExpiresAt()
    {
        var (clock, table) = NewTable();
        Assert.True(table.TryClaim("task-1", "w1", out var held));
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(table.TryRenew(held, out var renewed));

        Assert.False(table.TryClaim("task-1", "w2", out var conflict));

        Assert.Equal(renewed, conflict);
        Assert.Equal(Start + TimeSpan.FromSeconds(30) + StaleAfter, conflict.ExpiresAt);
    }

    [Fact]
    public void Without_heartbeats_the_lease_goes_stale_and_a_new_owner_takes_it_over_with_a_higher_epoch()
    {
        var (clock, table) = NewTable();
        Assert.True(table.TryClaim("task-1", "w1", out var zombie));

        clock.Advance(StaleAfter + Ms(1));
        Assert.False(table.TryGetHolder("task-1", out _));
        Assert.Equal([zombie], table.StaleLeases());

        Assert.True(table.TryClaim("task-1", "w2", out var taken));

        Assert.Equal(new Lease<string>("task-1", "w2", 2, clock.GetUtcNow() + StaleAfter), taken);
        Assert.Equal(2, table.LatestEpoch("task-1"));
        Assert.Empty(table.StaleLeases());
        Assert.True(table.TryGetHolder("task-1", out var holder));
        Assert.Equal(taken, holder);
        Assert.False(table.TryRenew(zombie, out _));
        Assert.False(table.TryRelease(zombie));
        Assert.False(table.IsCurrent(zombie));
        Assert.True(table.IsCurrent(taken));
    }

    [Fact]
    public void A_zombie_renew_release_or_IsCurrent_returns_false_and_leaves_the_holders_lease_unchanged()
    {
        var (clock, table) = NewTable();
        Assert.True(table.TryClaim("task-1", "w1", out var zombie));
        clock.Advance(StaleAfter + Ms(1));
        Assert.True(table.TryClaim("task-1", "w2", out var holder));
        clock.Advance(TimeSpan.FromSeconds(5));
        var before = Snapshot(table, "task-1");

        Assert.False(table.TryRenew(zombie, out var notRenewed));
        Assert.Equal(zombie, notRenewed);
        Assert.False(table.TryRelease(zombie));
        Assert.False(table.IsCurrent(zombie));

        Assert.Equal(before, Snapshot(table, "task-1"));
        Assert.True(table.TryGetHolder("task-1", out var still));
        Assert.Equal(holder, still);
        Assert.True(table.IsCurrent(holder));
    }

    [Fact]
    public void A_lease_with_the_current_epoch_but_another_owner_or_a_future_epoch_changes_nothing()
    {
        var (clock, table) = NewTable();
        Assert.True(table.TryClaim("task-1", "w1", out var holder));
        clock.Advance(TimeSpan.FromSeconds(5));
        var before = Snapshot(table, "task-1", "task-2");

        Lease<string>[] forged =
        [
            holder with { Owner = "w2" },
            holder with { Owner = "W1" },
            holder with { Epoch = 2 },
            holder with { Epoch = 0 },
            holder with { Key = "task-2" },
        ];
        foreach (var lease in forged)
        {
            Assert.False(table.TryRenew(lease, out _), lease.ToString());
            Assert.False(table.TryRelease(lease), lease.ToString());
            Assert.False(table.IsCurrent(lease), lease.ToString());
        }

        Assert.Equal(before, Snapshot(table, "task-1", "task-2"));
    }

    [Fact]
    public void TryExpire_frees_only_stale_leases()
    {
        var (clock, table) = NewTable();
        Assert.True(table.TryClaim("stale", "w1", out var stale));
        Assert.True(table.TryClaim("released", "w1", out var released));
        Assert.True(table.TryRelease(released));
        clock.Advance(TimeSpan.FromSeconds(100));
        Assert.True(table.TryClaim("live", "w1", out var live));
        clock.Advance(StaleAfter - TimeSpan.FromSeconds(100) + Ms(1)); // "stale" 1 ms past its expiry, "live" is 100 s from it
        var before = Snapshot(table, "live", "released", "never");

        Assert.False(table.TryExpire("live", out var notExpired));
        Assert.Equal(default, notExpired);
        Assert.False(table.TryExpire("released", out _));
        Assert.False(table.TryExpire("never", out _));
        Assert.Equal(before, Snapshot(table, "live", "released", "never"));
        Assert.True(table.IsCurrent(live));

        Assert.True(table.TryExpire("stale", out var expired));
        Assert.Equal(stale, expired);
        Assert.DoesNotContain(table.StaleLeases(), l => l.Key == "stale");
        Assert.False(table.TryGetHolder("stale", out _));
        Assert.Equal(1, table.LatestEpoch("stale"));
        Assert.False(table.TryExpire("stale", out _));
    }

    [Fact]
    public void After_TryExpire_the_zombie_can_write_nothing_and_the_next_claim_gets_a_higher_epoch()
    {
        var (clock, table) = NewTable();
        Assert.True(table.TryClaim("task-1", "w1", out var zombie));
        clock.Advance(StaleAfter + Ms(1));
        Assert.True(table.TryExpire("task-1", out _));

        Assert.False(table.TryRenew(zombie, out _));
        Assert.False(table.TryRelease(zombie));
        Assert.False(table.IsCurrent(zombie));
        Assert.False(table.TryGetHolder("task-1", out _));

        Assert.True(table.TryClaim("task-1", "w1", out var reclaimed)); // even its own owner gets a new epoch
        Assert.Equal(new Lease<string>("task-1", "w1", 2, clock.GetUtcNow() + StaleAfter), reclaimed);
        Assert.False(table.TryRenew(zombie, out _));
        Assert.False(table.IsCurrent(zombie));
        Assert.True(table.IsCurrent(reclaimed));
    }

    [Fact]
    public void StaleLeases_lists_exactly_the_held_leases_past_their_expiry()
    {
        var (clock, table) = NewTable();
        Assert.True(table.TryClaim("a", "w1", out var a));
        Assert.True(table.TryClaim("b", "w2", out var b));
        Assert.True(table.TryClaim("c", "w3", out var c));
        Assert.True(table.TryRelease(c));
        clock.Advance(TimeSpan.FromSeconds(100));
        Assert.True(table.TryRenew(b, out b));
        Assert.True(table.TryClaim("d", "w4", out var d));
        Assert.Empty(table.StaleLeases());

        clock.Advance(StaleAfter - TimeSpan.FromSeconds(100));
        Assert.Empty(table.StaleLeases()); // "a" is exactly at its expiry: still live

        clock.Advance(Ms(1));
        Assert.Equal([a], table.StaleLeases());

        clock.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal([a, b, d], table.StaleLeases().OrderBy(l => l.Key, StringComparer.Ordinal));

        Assert.True(table.TryClaim("a", "w5", out _));
        Assert.True(table.TryExpire("b", out _));
        Assert.Equal([d], table.StaleLeases());
    }

    [Fact]
    public void LatestEpoch_counts_claims_and_nothing_else()
    {
        var (clock, table) = NewTable();
        Assert.Equal(0, table.LatestEpoch("task-1"));

        Assert.True(table.TryClaim("task-1", "w1", out var l1));
        Assert.Equal(1, table.LatestEpoch("task-1"));
        Assert.True(table.TryRenew(l1, out l1));
        Assert.False(table.TryClaim("task-1", "w2", out _));
        Assert.Equal(1, table.LatestEpoch("task-1"));
        Assert.True(table.TryRelease(l1));
        Assert.Equal(1, table.LatestEpoch("task-1"));

        Assert.True(table.TryClaim("task-1", "w2", out _));
        Assert.Equal(2, table.LatestEpoch("task-1"));
        clock.Advance(StaleAfter + Ms(1));
        Assert.Equal(2, table.LatestEpoch("task-1"));
        Assert.True(table.TryExpire("task-1", out _));
        Assert.Equal(2, table.LatestEpoch("task-1"));

        Assert.True(table.TryClaim("task-1", "w3", out _));
        clock.Advance(StaleAfter + Ms(1));
        Assert.True(table.TryClaim("task-1", "w4", out var l4)); // stale takeover
        Assert.Equal(4, l4.Epoch);
        Assert.Equal(4, table.LatestEpoch("task-1"));
        Assert.Equal(0, table.LatestEpoch("task-2"));
    }

    [Fact]
    public void TryGetHolder_reports_only_a_live_lease()
    {
        var (clock, table) = NewTable();
        Assert.False(table.TryGetHolder("task-1", out var none));
        Assert.Equal(default, none);

        Assert.True(table.TryClaim("task-1", "w1", out var lease));
        clock.Advance(StaleAfter);
        Assert.True(table.TryGetHolder("task-1", out var atExpiry));
        Assert.Equal(lease, atExpiry);

        clock.Advance(Ms(1));
        Assert.False(table.TryGetHolder("task-1", out var afterExpiry));
        Assert.Equal(default, afterExpiry);

        Assert.True(table.TryClaim("task-1", "w2", out var second));
        Assert.True(table.TryRelease(second));
        Assert.False(table.TryGetHolder("task-1", out _));
    }

    [Fact]
    public void Keys_are_independent()
    {
        var (clock, table) = NewTable();
        Assert.True(table.TryClaim("a", "w1", out var a));
        Assert.True(table.TryClaim("b", "w1", out var b));
        Assert.True(table.TryRelease(a));
        Assert.True(table.TryClaim("a", "w2", out var a2));

        Assert.Equal((2L, 1L), (a2.Epoch, b.Epoch));
        Assert.True(table.IsCurrent(b));
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.True(table.TryRenew(b, out _));
        clock.Advance(StaleAfter - TimeSpan.FromSeconds(59));
        Assert.False(table.IsCurrent(a2));
        Assert.True(table.IsCurrent(b));
    }

    [Fact]
    public void The_table_compares_keys_with_the_comparer_it_was_given()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        var table = new ClaimTable<string>(null, clock, StringComparer.OrdinalIgnoreCase);
        Assert.True(table.TryClaim("Task-1", "w1", out var held));

        Assert.False(table.TryClaim("TASK-1", "w2", out var conflict));
        Assert.Equal(("w1", 1L), (conflict.Owner, conflict.Epoch));
        Assert.True(table.IsCurrent(held with { Key = "task-1" }));
        Assert.Equal(1, table.LatestEpoch("tAsK-1"));
    }

    [Fact]
    public void The_table_defaults_to_LeaseOptions_Default()
    {
        var (_, table) = NewTable();
        Assert.Equal(LeaseOptions.Default, table.Options);
        Assert.Equal(StaleAfter, table.Options.StaleAfter);
    }

    [Fact]
    public void Epochs_are_never_reused_across_many_claims_releases_expiries_and_takeovers()
    {
        var (clock, table) = NewTable(Short);
        var random = new Random(20250301);
        long last = 0;
        for (var i = 0; i < 2_000; i++)
        {
            Assert.True(table.TryClaim("task-1", $"w{random.Next(4)}", out var lease));
            Assert.Equal(last + 1, lease.Epoch);
            last = lease.Epoch;
            switch (random.Next(3))
            {
                case 0:
                    Assert.True(table.TryRelease(lease));
                    break;
                case 1:
                    clock.Advance(Short.StaleAfter + Ms(1));
                    Assert.True(table.TryExpire("task-1", out _));
                    break;
                default:
                    clock.Advance(Short.StaleAfter + Ms(1 + random.Next(50))); // the next claim takes it over
                    break;
            }

            Assert.Equal(last, table.LatestEpoch("task-1"));
        }
    }
}
