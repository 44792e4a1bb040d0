using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;

namespace Weaver.Benchmarks.Claims;

/// <summary>
/// Issue 9, point 2: one claim + renew + release through Weaver's <see cref="ClaimTable{TKey}"/>, against the same
/// three steps on a <see cref="ConcurrentDictionary{TKey, TValue}"/> (<c>TryAdd</c>/<c>TryUpdate</c>/<c>TryRemove</c>,
/// the baseline), a <see cref="Dictionary{TKey, TValue}"/> under a <see langword="lock"/>, and raw
/// <see cref="Interlocked.CompareExchange(ref int, int, int)"/> on an <c>int[]</c> (the floor), with one thread and with
/// two threads contending.
/// </summary>
/// <remarks>
/// <para>Every implementation but the floor keeps the same thing per key, who holds it and until when, and reads the
/// clock the claim table reads (on <see cref="TimeProvider.System"/>, the system's millisecond tick count,
/// <see cref="Environment.TickCount64"/>) once per step, as the table does: a claim and a renewal set the deadline to now + StaleAfter, and a
/// renewal or release of a lease that went stale fails. The floor stores only the holder's number and reads no
/// clock, which is what makes it the floor. Only the claim table also gives each claim a fencing epoch and can take
/// over a stale lease.</para>
/// <para>Each invocation runs <see cref="Operations"/> rounds in all, split over <see cref="Threads"/> threads. A round
/// claims key <c>i mod 1,024</c> and, when the claim is granted, renews and releases it. With two threads both walk the
/// same keys in the same order, so they collide on keys and cache lines and some claims are refused (a round then
/// ends at the refusal, the same for every implementation). Times are per round.</para>
/// </remarks>
[MemoryDiagnoser]
public class ClaimTableBenchmarks
{
    /// <summary>Rounds per invocation, over all threads.</summary>
    public const int Operations = 1 << 18;

    private const int Keys = 1024;
    private static readonly string[] Owners = ["worker-0", "worker-1"];

    private readonly long _staleAfterMs = (long)LeaseOptions.Default.StaleAfter.TotalMilliseconds;
    private ClaimTable<int> _table = null!;
    private ConcurrentDictionary<int, Holder> _concurrent = null!;
    private Dictionary<int, Holder> _locked = null!;
    private Lock _gate = null!;
    private int[] _words = null!;

    /// <summary>How many threads run the rounds at once: 1 (uncontended) or 2 (both cores contending).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Fresh structures; every key is claimed and released once, so each already has its slot or node.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _table = new ClaimTable<int>();
        _concurrent = new ConcurrentDictionary<int, Holder>(Environment.ProcessorCount, Keys);
        _locked = new Dictionary<int, Holder>(Keys);
        _gate = new Lock();
        _words = new int[Keys];
        for (var key = 0; key < Keys; key++)
        {
            if (!_table.TryClaim(key, Owners[0], out var lease) || !_table.TryRelease(lease))
            {
                throw new InvalidOperationException($"The claim table refused key {key} in an empty table.");
            }
        }
    }

    /// <summary><see cref="ConcurrentDictionary{TKey, TValue}"/>: <c>TryAdd</c>, <c>TryUpdate</c>, <c>TryRemove</c>.</summary>
    /// <returns>How many claims were granted.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public int ConcurrentDictionary() => Run(static (self, worker, rounds) => self.ConcurrentRounds(worker, rounds));

    /// <summary>Weaver's <see cref="ClaimTable{TKey}"/>: <c>TryClaim</c>, <c>TryRenew</c>, <c>TryRelease</c>.</summary>
    /// <returns>How many claims were granted.</returns>
    [Benchmark(OperationsPerInvoke = Operations)]
    public int ClaimTable() => Run(static (self, worker, rounds) => self.TableRounds(worker, rounds));

    /// <summary>A <see cref="Dictionary{TKey, TValue}"/> under a <see langword="lock"/>, one lock per step.</summary>
    /// <returns>How many claims were granted.</returns>
    [Benchmark(OperationsPerInvoke = Operations)]
    public int LockedDictionary() => Run(static (self, worker, rounds) => self.LockedRounds(worker, rounds));

    /// <summary>The floor: one compare-and-exchange per step on an <c>int[]</c>, no clock.</summary>
    /// <returns>How many claims were granted.</returns>
    [Benchmark(OperationsPerInvoke = Operations)]
    public int InterlockedArray() => Run(static (self, worker, rounds) => self.FloorRounds(worker, rounds));

    /// <summary>
    /// Not a comparison but a breakdown: only the three clock reads that the claim table (and each implementation
    /// here but the floor) makes per round (<see cref="Environment.TickCount64"/>, the clock a table on
    /// <see cref="TimeProvider.System"/> reads), the part of their time no data structure can remove while leases are
    /// kept by a clock.
    /// </summary>
    /// <returns>A sum of the readings, so none is optimized away.</returns>
    [Benchmark(OperationsPerInvoke = Operations)]
    public int ClockReads() => Run(static (_, _, rounds) =>
    {
        var sum = 0L;
        for (var i = 0; i < rounds; i++)
        {
            sum += Now() + Now() + Now();
        }

        return (int)sum;
    });

    private int Run(Func<ClaimTableBenchmarks, int, int, int> rounds)
    {
        var perThread = Operations / Threads;
        if (Threads == 1)
        {
            return rounds(this, 0, perThread);
        }

        // A pool thread (no thread is created per invocation); both start together, so they contend from the first round.
        var arrived = 0;
        var other = Task.Run(() =>
        {
            Interlocked.Increment(ref arrived);
            SpinUntil(ref arrived, 2);
            return rounds(this, 1, perThread);
        });
        Interlocked.Increment(ref arrived);
        SpinUntil(ref arrived, 2);
        var granted = rounds(this, 0, perThread);
        return granted + other.GetAwaiter().GetResult();
    }

    private static void SpinUntil(ref int value, int expected)
    {
        var spin = default(SpinWait);
        while (Volatile.Read(ref value) != expected)
        {
            spin.SpinOnce();
        }
    }

    private int TableRounds(int worker, int rounds)
    {
        var owner = Owners[worker];
        var granted = 0;
        for (var i = 0; i < rounds; i++)
        {
            if (_table.TryClaim(i & (Keys - 1), owner, out var lease))
            {
                granted++;
                if (!_table.TryRenew(lease, out var renewed) || !_table.TryRelease(renewed))
                {
                    throw new InvalidOperationException("A live lease could not be renewed or released.");
                }
            }
        }

        return granted;
    }

    private int ConcurrentRounds(int worker, int rounds)
    {
        var owner = Owners[worker];
        var granted = 0;
        for (var i = 0; i < rounds; i++)
        {
            var key = i & (Keys - 1);
            var claimed = new Holder(owner, Now() + _staleAfterMs);
            if (!_concurrent.TryAdd(key, claimed))
            {
                continue;
            }

            granted++;
            var now = Now();
            var renewed = new Holder(owner, now + _staleAfterMs);
            if (claimed.Deadline < now || !_concurrent.TryUpdate(key, renewed, claimed)
                || renewed.Deadline < Now() || !_concurrent.TryRemove(new KeyValuePair<int, Holder>(key, renewed)))
            {
                throw new InvalidOperationException("A held key could not be renewed or released.");
            }
        }

        return granted;
    }

    private int LockedRounds(int worker, int rounds)
    {
        var owner = Owners[worker];
        var granted = 0;
        for (var i = 0; i < rounds; i++)
        {
            var key = i & (Keys - 1);
            var claimed = new Holder(owner, Now() + _staleAfterMs);
            bool added;
            lock (_gate)
            {
                added = _locked.TryAdd(key, claimed);
            }

            if (!added)
            {
                continue;
            }

            granted++;
            var now = Now();
            var renewed = new Holder(owner, now + _staleAfterMs);
            bool kept;
            lock (_gate)
            {
                kept = _locked.TryGetValue(key, out var current) && current == claimed && current.Deadline >= now;
                if (kept)
                {
                    _locked[key] = renewed;
                }
            }

            now = Now();
            lock (_gate)
            {
                kept &= _locked.TryGetValue(key, out var current) && current == renewed && current.Deadline >= now && _locked.Remove(key);
            }

            if (!kept)
            {
                throw new InvalidOperationException("A held key could not be renewed or released.");
            }
        }

        return granted;
    }

    private int FloorRounds(int worker, int rounds)
    {
        var holder = worker + 1;
        var granted = 0;
        for (var i = 0; i < rounds; i++)
        {
            ref var word = ref _words[i & (Keys - 1)];
            if (Interlocked.CompareExchange(ref word, holder, 0) == 0)
            {
                granted++;
                if (Interlocked.CompareExchange(ref word, holder, holder) != holder || Interlocked.CompareExchange(ref word, 0, holder) != holder)
                {
                    throw new InvalidOperationException("A held word could not be renewed or released.");
                }
            }
        }

        return granted;
    }

    /// <summary>The clock a claim table on <see cref="TimeProvider.System"/> reads: milliseconds.</summary>
    private static long Now() => Environment.TickCount64;

    /// <summary>Who holds a key and until when (milliseconds of <see cref="Environment.TickCount64"/>).</summary>
    private readonly record struct Holder(string Owner, long Deadline);
}
