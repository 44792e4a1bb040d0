using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using static Weaver.Runtime.Tests.Claims.ClaimTableKit;

namespace Weaver.Runtime.Tests.Claims;

/// <summary>
/// The owner's name is stored apart from the claim word. These tests look for the two ways that can show: a conflict
/// naming someone other than the holder of the epoch it reports, and a late name write overwriting a newer holder's.
/// </summary>
[Collection(nameof(ClaimConcurrency))]
public sealed class ClaimTableOwnerRaceTests
{
    private const int Threads = 64;

    [Fact]
    public void A_conflict_names_the_owner_that_was_granted_the_epoch_it_reports()
    {
        var clock = new FakeTimeProvider(Start); // never moves: every lease stays live until released
        var table = new ClaimTable<string>(null, clock);
        var grants = new ConcurrentDictionary<long, string>();
        var conflicts = new List<(long Epoch, string Owner)>[Threads];
        var violations = new ConcurrentQueue<string>();
        using var barrier = new Barrier(Threads);

        RunThreads(t =>
        {
            var owner = $"w{t}";
            var seen = conflicts[t] = [];
            barrier.SignalAndWait();
            for (var op = 0; op < 20_000; op++)
            {
                if (table.TryClaim("task-1", owner, out var lease))
                {
                    grants[lease.Epoch] = owner;
                    if (!table.TryRelease(lease))
                    {
                        violations.Enqueue($"{lease} could not be released by its holder on a clock that never moves");
                    }
                }
                else
                {
                    seen.Add((lease.Epoch, lease.Owner));
                }
            }
        });

        Assert.Empty(violations);
        var wrong = conflicts.SelectMany(c => c).Where(c => grants[c.Epoch] != c.Owner).ToList();
        Assert.True(
            wrong.Count == 0,
            $"{wrong.Count} of {conflicts.Sum(c => c.Count)} conflicts named an owner that does not hold the epoch they reported, e.g. "
            + string.Join("; ", wrong.Take(5).Select(c => $"epoch {c.Epoch} reported as '{c.Owner}', granted to '{grants[c.Epoch]}'")));
    }

    [Fact]
    public void A_late_name_write_never_replaces_the_name_of_a_newer_holder()
    {
        var clock = new FakeTimeProvider(Start);
        var table = new ClaimTable<string>(Short, clock);
        var grants = new ConcurrentDictionary<long, string>();
        var violations = new ConcurrentQueue<string>();
        const int Advancers = 2;
        var finished = 0;
        using var barrier = new Barrier(Threads);

        RunThreads(t =>
        {
            var owner = $"w{t}";
            Lease<string>? held = null;
            barrier.SignalAndWait();
            if (t < Advancers)
            {
                while (Volatile.Read(ref finished) < Threads - Advancers)
                {
                    clock.Advance(Short.StaleAfter + Ms(1)); // every lease not renewed since is stale now
                    for (var i = 0; i < 100; i++)
                    {
                        Audit();
                    }
                }

                return;
            }

            for (var op = 0; op < 50_000; op++)
            {
                if (held is { } lease)
                {
                    if (table.TryRenew(lease, out var renewed))
                    {
                        held = renewed;
                        continue;
                    }

                    held = null;
                }

                if (table.TryClaim("task-1", owner, out var claimed))
                {
                    grants[claimed.Epoch] = owner; // recorded after TryClaim wrote the name
                    held = claimed;
                    continue;
                }

                Audit();
            }

            Interlocked.Increment(ref finished);
        });

        Assert.True(violations.IsEmpty, $"{violations.Count} audits found a holder's name overwritten, e.g. {string.Join(" | ", violations.Take(5))}");

        // With the epoch unchanged across the reads, and its claim already returned (so its own name write is done),
        // the name the table gives must be the one that claim wrote.
        void Audit()
        {
            var before = table.LatestEpoch("task-1");
            if (grants.TryGetValue(before, out var grantedTo)
                && table.TryGetHolder("task-1", out var holder)
                && holder.Epoch == before
                && table.LatestEpoch("task-1") == before
                && holder.Owner != grantedTo)
            {
                violations.Enqueue($"epoch {before} was granted to '{grantedTo}', but the table names '{holder.Owner}'");
            }
        }
    }

    private static void RunThreads(Action<int> work)
    {
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() => work(t)) { IsBackground = true }).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }
    }
}
