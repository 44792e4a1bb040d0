using Microsoft.Extensions.Time.Testing;
using static Weaver.Runtime.Tests.Locks.LockKit;

namespace Weaver.Runtime.Tests.Locks;

/// <summary>
/// 32 threads, started together, acquire random overlapping sets of a few shared resources for 2,000 rounds each.
/// While a thread holds its set it marks each resource in a shared array with <see cref="Interlocked"/>: a mark that
/// is already set means two holders at once. Some threads renew while they hold, some wait for release after a conflict.
/// </summary>
[Collection(nameof(LockConcurrency))]
public sealed class ResourceLockStressTests
{
    private const int Threads = 32;
    private const int Rounds = 2_000;
    private const int Resources = 12;

    [Fact]
    public void Thirty_two_threads_never_hold_one_resource_twice_and_release_everything()
    {
        var clock = new FakeTimeProvider(Start); // stands still: nobody goes stale, so every release must succeed
        using var locks = new ResourceLockManager(new ResourceLockOptions { Leases = Short }, clock);
        var marks = new int[Resources];
        var violations = new List<string>();
        var acquired = new int[Threads];
        var conflicts = new int[Threads];
        var renewed = new int[Threads];
        var waited = new int[Threads];
        using var barrier = new Barrier(Threads);

        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var random = new Random(9_000 + t);
            barrier.SignalAndWait();
            for (var round = 0; round < Rounds; round++)
            {
                var set = Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(Resources)).Distinct().ToArray();
                var result = locks.TryAcquire($"t{t}", $"w{t}", set.Select(i => $"./files//{i}.cs"));
                if (!result.Acquired)
                {
                    conflicts[t]++;
                    if (result.Conflicts.Count == 0 || result.Conflicts.Any(c => c.HolderTaskId == $"t{t}"))
                    {
                        Violation($"t{t}: conflict without another holder: {result.Describe()}");
                    }

                    // Holders never wait (all or nothing), so every holder releases and every wait ends.
                    if (round % 4 == 1)
                    {
                        waited[t]++;
                        if (!locks.WaitForReleaseAsync(result.Conflicts).Wait(TimeSpan.FromSeconds(30)))
                        {
                            Violation($"t{t}: not woken after {result.Describe()}");
                        }
                    }

                    continue;
                }

                acquired[t]++;
                foreach (var i in set)
                {
                    if (Interlocked.Increment(ref marks[i]) != 1)
                    {
                        Violation($"t{t}: files/{i}.cs held twice");
                    }
                }

                var lease = result.Lease;
                if (round % 3 == 0)
                {
                    if (locks.TryRenew(lease, out var fresh))
                    {
                        lease = fresh;
                        renewed[t]++;
                    }
                    else
                    {
                        Violation($"t{t}: could not renew {lease}");
                    }
                }

                foreach (var i in set)
                {
                    Interlocked.Decrement(ref marks[i]);
                }

                if (!locks.TryRelease(lease))
                {
                    Violation($"t{t}: could not release {lease}");
                }
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

        Assert.Empty(violations);
        Assert.Empty(locks.Held());
        Assert.All(marks, m => Assert.Equal(0, m));
        Assert.True(waited.Sum() > 0, "no thread ever met a conflict: the sets did not overlap in time");

        var history = locks.History();
        Assert.Equal(acquired.Sum(), history.Count(e => e.Kind == ResourceLockEventKind.Acquired));
        Assert.Equal(acquired.Sum(), history.Count(e => e.Kind == ResourceLockEventKind.Released));
        Assert.Equal(renewed.Sum(), history.Count(e => e.Kind == ResourceLockEventKind.Renewed));
        Assert.Equal(conflicts.Sum(), history.Count(e => e.Kind == ResourceLockEventKind.Conflict));

        // Per resource, the history alternates acquire and release, with epochs strictly growing.
        foreach (var key in Enumerable.Range(0, Resources).Select(i => ResourceKey.Normalize($"files/{i}.cs")))
        {
            long latest = 0;
            var held = false;
            foreach (var e in history.Where(e => e.Kind is ResourceLockEventKind.Acquired or ResourceLockEventKind.Released && e.Resources.Contains(key)))
            {
                var acquiring = e.Kind == ResourceLockEventKind.Acquired;
                Assert.True(acquiring != held, $"{key}: {e.Kind} by {e.TaskId} e{e.Epoch} while {(held ? "held" : "free")}");
                Assert.True(acquiring ? e.Epoch > latest : e.Epoch == latest, $"{key}: {e.Kind} e{e.Epoch} after e{latest}");
                latest = e.Epoch;
                held = acquiring;
            }
        }

        void Violation(string what)
        {
            lock (violations)
            {
                violations.Add(what);
            }
        }
    }
}
