using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using static Weaver.Runtime.Tests.Claims.ClaimTableKit;

namespace Weaver.Runtime.Tests.Claims;

/// <summary>
/// 64 threads, started together, claim, renew, release and expire a few shared keys on a shared fake clock that one
/// of them moves on now and then. Each thread checks every answer against what had already been granted when its call
/// began; afterwards the epochs granted per key must be exactly 1..LatestEpoch, each to one owner.
/// </summary>
[Collection(nameof(ClaimConcurrency))]
public sealed class ClaimTableStressTests
{
    private const int Threads = 64;
    private const int Keys = 3;

    [Fact]
    public void Sixty_four_threads_never_see_two_live_owners_of_a_key_and_never_reuse_an_epoch()
    {
        var totals = new long[Enum.GetValues<Outcome>().Length];
        for (var round = 0; round < 6; round++)
        {
            var counts = RunRound(seed: 7_000 + round, opsPerThread: 2_500);
            for (var i = 0; i < totals.Length; i++)
            {
                totals[i] += counts[i];
            }
        }

        // The run exercised every path, stale leases included.
        foreach (var outcome in Enum.GetValues<Outcome>())
        {
            Assert.True(totals[(int)outcome] > 0, $"no {outcome} in any round: {string.Join(", ", Enum.GetValues<Outcome>().Select(o => $"{o}={totals[(int)o]}"))}");
        }
    }

    [Fact]
    public void Of_64_threads_claiming_the_same_fresh_key_at_once_exactly_one_wins()
    {
        const int Keys = 200;
        var clock = new FakeTimeProvider(Start);
        var table = new ClaimTable<string>(Short, clock);
        var results = new (bool Won, Lease<string> Lease)[Keys, Threads];
        using var barrier = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            for (var k = 0; k < Keys; k++)
            {
                barrier.SignalAndWait(); // all threads go for key k together
                results[k, t].Won = table.TryClaim($"task-{k}", $"w{t}", out results[k, t].Lease);
            }
        }) { IsBackground = true }).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        for (var k = 0; k < Keys; k++)
        {
            var key = $"task-{k}";
            var winners = Enumerable.Range(0, Threads).Where(t => results[k, t].Won).ToList();
            Assert.Single(winners);
            var won = results[k, winners[0]].Lease;
            Assert.Equal(new Lease<string>(key, $"w{winners[0]}", 1, Start + Short.StaleAfter), won);
            Assert.True(table.TryGetHolder(key, out var holder));
            Assert.Equal(won, holder);

            // Every loser was told epoch 1 and its expiry (the name is checked in ClaimTableOwnerRaceTests).
            Assert.All(Enumerable.Range(0, Threads).Where(t => t != winners[0]), t =>
                Assert.Equal((key, 1L, won.ExpiresAt), (results[k, t].Lease.Key, results[k, t].Lease.Epoch, results[k, t].Lease.ExpiresAt)));
        }
    }

    private enum Outcome
    {
        Claimed,
        Conflict,
        Renewed,
        RenewRefused,
        Released,
        ReleaseRefused,
        ZombieRefused,
        Expired,
        Advanced,
    }

    private sealed record Grant(int Key, long Epoch, string Owner, int Thread);

    private static long[] RunRound(int seed, int opsPerThread)
    {
        var clock = new FakeTimeProvider(Start);
        var table = new ClaimTable<int>(Short, clock);
        var maxGranted = new long[Keys]; // per key: the highest epoch of a claim that has already returned
        var grants = new List<Grant>[Threads];
        var counts = new long[Threads, Enum.GetValues<Outcome>().Length];
        var violations = new ConcurrentQueue<string>();
        using var barrier = new Barrier(Threads);

        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() => Work(t)) { IsBackground = true }).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.True(violations.IsEmpty, $"round {seed}: {violations.Count} violations, first: {string.Join(" | ", violations.Take(5))}");

        var all = grants.SelectMany(g => g).ToList();
        for (var key = 0; key < Keys; key++)
        {
            var latest = table.LatestEpoch(key);
            var granted = all.Where(g => g.Key == key).OrderBy(g => g.Epoch).ToList();

            // Every claim got the next epoch: no epoch given twice, none skipped.
            Assert.Equal(Enumerable.Range(1, (int)latest).Select(e => (long)e), granted.Select(g => g.Epoch));

            // At most one granted lease is current now, and it is the latest, held by whom it was granted to.
            var current = granted.Where(g => table.IsCurrent(new Lease<int>(key, g.Owner, g.Epoch, default))).ToList();
            Assert.True(current.Count <= 1, $"key {key}: {current.Count} current leases: {string.Join(", ", current)}");
            if (table.TryGetHolder(key, out var holder))
            {
                Assert.Equal(granted[^1], new Grant(key, holder.Epoch, holder.Owner, granted[^1].Thread));
                Assert.Single(current);
            }
        }

        foreach (var mine in grants)
        {
            // Each thread saw its own epochs of a key grow.
            foreach (var perKey in mine.GroupBy(g => g.Key))
            {
                var epochs = perKey.Select(g => g.Epoch).ToList();
                Assert.Equal(epochs.Order(), epochs);
            }
        }

        return Enumerable.Range(0, counts.GetLength(1)).Select(o => Enumerable.Range(0, Threads).Sum(t => counts[t, o])).ToArray();

        void Work(int t)
        {
            var random = new Random((seed * 1_000) + t);
            var owner = $"w{t}";
            var held = new Lease<int>?[Keys];
            var zombies = new List<Lease<int>>();
            var mine = grants[t] = [];
            barrier.SignalAndWait();

            for (var op = 0; op < opsPerThread; op++)
            {
                var roll = random.Next(100);
                if (t == 0 && roll < 10)
                {
                    // Mostly a little; one time in four, enough to make every lease not renewed since stale.
                    clock.Advance(random.Next(4) == 0 ? Short.StaleAfter + Ms(1) : Ms(random.Next(1, 40)));
                    Count(Outcome.Advanced);
                    continue;
                }

                var key = random.Next(Keys);
                var before = Volatile.Read(ref maxGranted[key]);
                if (roll < 40 || (roll < 90 && held[key] is null && (zombies.Count == 0 || roll % 3 != 0)))
                {
                    Claim(key, before);
                }
                else if (roll < 90)
                {
                    var zombie = held[key] is null || (zombies.Count > 0 && random.Next(5) == 0);
                    var lease = zombie ? zombies[random.Next(zombies.Count)] : held[key]!.Value;
                    if (roll < 70)
                    {
                        Renew(lease, zombie, before);
                    }
                    else
                    {
                        Release(lease, zombie, before);
                    }
                }
                else
                {
                    Expire(key, before);
                }
            }

            void Claim(int key, long before)
            {
                if (table.TryClaim(key, owner, out var lease))
                {
                    Count(Outcome.Claimed);
                    Check(lease.Key == key && lease.Owner == owner, $"claim of {key} by {owner} returned {lease}");
                    Check(lease.Epoch > before, $"claim {lease} got an epoch not above {before}, already granted before it began");
                    mine.Add(new Grant(key, lease.Epoch, owner, t));
                    RaiseTo(ref maxGranted[key], lease.Epoch);
                    if (held[key] is { } old)
                    {
                        Check(!table.IsCurrent(old), $"{old} is still current after the same owner claimed {lease}");
                        Bury(old);
                    }

                    held[key] = lease;
                }
                else
                {
                    Count(Outcome.Conflict);
                    Check(lease.Key == key && lease.Epoch >= Math.Max(before, 1), $"conflict on {key} (granted before: {before}) reported {lease}");
                }
            }

            void Renew(Lease<int> lease, bool zombie, long before)
            {
                if (table.TryRenew(lease, out var renewed))
                {
                    Count(Outcome.Renewed);
                    Check(!zombie, $"zombie {lease} renewed");
                    Check(lease.Epoch >= before, $"{lease} renewed although epoch {before} had been granted before the renewal began");
                    Check(renewed.Key == lease.Key && renewed.Owner == lease.Owner && renewed.Epoch == lease.Epoch && renewed.ExpiresAt >= lease.ExpiresAt,
                        $"{lease} renewed as {renewed}");
                    held[lease.Key] = renewed;
                }
                else
                {
                    Count(zombie ? Outcome.ZombieRefused : Outcome.RenewRefused);
                    Check(renewed == lease, $"a refused renewal of {lease} returned {renewed}");
                    if (!zombie)
                    {
                        held[lease.Key] = null;
                        Bury(lease);
                    }
                }
            }

            void Release(Lease<int> lease, bool zombie, long before)
            {
                if (table.TryRelease(lease))
                {
                    Count(Outcome.Released);
                    Check(!zombie, $"zombie {lease} released");
                    Check(lease.Epoch >= before, $"{lease} released although epoch {before} had been granted before the release began");
                }
                else
                {
                    Count(zombie ? Outcome.ZombieRefused : Outcome.ReleaseRefused);
                }

                if (!zombie)
                {
                    held[lease.Key] = null;
                    Bury(lease);
                }
            }

            void Expire(int key, long before)
            {
                if (table.TryExpire(key, out var expired))
                {
                    Count(Outcome.Expired);
                    Check(expired.Key == key && expired.Epoch >= Math.Max(before, 1), $"expiry of {key} (granted before: {before}) returned {expired}");
                }
            }

            void Bury(Lease<int> lease)
            {
                if (zombies.Count == 16)
                {
                    zombies.RemoveAt(random.Next(zombies.Count));
                }

                zombies.Add(lease);
            }

            void Count(Outcome outcome) => counts[t, (int)outcome]++;
        }

        void Check(bool ok, string violation)
        {
            if (!ok)
            {
                violations.Enqueue(violation);
            }
        }
    }

    private static void RaiseTo(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (current < value)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
