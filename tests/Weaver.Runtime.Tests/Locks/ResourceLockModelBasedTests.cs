using CsCheck;
using Microsoft.Extensions.Time.Testing;
using static Weaver.Runtime.Tests.Locks.LockKit;

namespace Weaver.Runtime.Tests.Locks;

/// <summary>
/// CsCheck's <c>SampleModelBased</c>: random sequences of acquire (random sets over a small universe, each key in a
/// random spelling), renew, release, sweep, holder reads and clock moves (landing on and around the stale boundary) on
/// a real manager and on <see cref="Model"/>, a dictionary of holders with deadlines, which must answer every step
/// alike, conflicts and history included. After every step the manager is also checked directly: no resource has two
/// live holders, and each key's epochs only grow.
/// </summary>
public sealed class ResourceLockModelBasedTests
{
    /// <summary>The universe, as the model knows it: "src/A" and "src/a" are one key only when case is ignored.</summary>
    private static readonly string[] Bases = ["src/a", "src/A", "src/b", "c"];

    private static readonly Gen<string> Task = Gen.OneOf("t1", "t2", "t3");

    /// <summary>A non-empty subset of <see cref="Bases"/>, each key spelled one of six ways.</summary>
    private static readonly Gen<(string Base, string Raw)[]> Set =
        Gen.Select(Gen.Int[1, (1 << Bases.Length) - 1], Gen.Int[0, 5].Array[Bases.Length]).Select((mask, spellings) =>
            Enumerable.Range(0, Bases.Length).Where(i => (mask & (1 << i)) != 0).Select(i => (Bases[i], Spell(Bases[i], spellings[i]))).ToArray());

    [Fact]
    public void Every_step_matches_the_model_and_no_resource_ever_has_two_live_holders()
    {
        var initial = Gen.OneOf(Gen.Const(ResourceKeyCase.Sensitive), Gen.Const(ResourceKeyCase.Insensitive))
            .Select(keyCase => (new Actual(keyCase), new Model(keyCase)));

        initial.SampleModelBased(
            [
                Gen.Select(Task, Set).Operation<Actual, Model>(
                    t => $"acquire {t.Item1} [{string.Join(", ", t.Item2.Select(k => k.Raw))}]",
                    (a, t) => a.Acquire(t.Item1, t.Item2),
                    (m, t) => m.Acquire(t.Item1, t.Item2)),
                Task.Operation<Actual, Model>(t => $"renew {t}", (a, t) => a.Renew(t), (m, t) => m.Renew(t)),
                Task.Operation<Actual, Model>(t => $"release {t}", (a, t) => a.Release(t), (m, t) => m.Release(t)),
                Gen.Const(0).Operation<Actual, Model>(_ => "sweep", (a, _) => a.Sweep(), (m, _) => m.Sweep()),
                Gen.Int[0, Bases.Length - 1].Operation<Actual, Model>(i => $"holder {Bases[i]}", (a, i) => a.Holder(Bases[i]), (m, i) => m.Holder(Bases[i])),
                Gen.Int[0, 6].Operation<Actual, Model>(step => $"advance #{step}", (a, step) => a.Advance(step), (m, step) => m.Advance(step)),
            ],
            equal: (actual, model) => actual.Describe() == model.Describe() && actual.Results.SequenceEqual(model.Results),
            iter: 3_000,
            printActual: actual => $"{actual.Describe()} | steps: {string.Join(", ", actual.Results)}",
            printModel: model => $"{model.Describe()} | steps: {string.Join(", ", model.Results)}");
    }

    private static string Spell(string key, int spelling) => spelling switch
    {
        0 => key,
        1 => "./" + key,
        2 => key.Replace('/', '\\'),
        3 => key + "/",
        4 => "x/../" + key,
        _ => key.Replace("/", "//./", StringComparison.Ordinal),
    };

    /// <summary>How far a clock move goes, in ticks: around a heartbeat and around the stale boundary.</summary>
    private static long AdvanceTicks(int step) => step switch
    {
        0 => 0,
        1 => 1,
        2 => Short.HeartbeatInterval.Ticks,
        3 => Short.StaleAfter.Ticks - 1,
        4 => Short.StaleAfter.Ticks,
        5 => Short.StaleAfter.Ticks + 1,
        _ => Short.StaleAfter.Ticks / 2,
    };

    private static string Owner(string task) => "w" + task[1..];

    private sealed class Actual(ResourceKeyCase keyCase)
    {
        private readonly FakeTimeProvider _clock = new(Start);
        private readonly Dictionary<string, ResourceLease> _leases = [];
        private readonly Dictionary<ResourceKey, long> _latest = [];
        private readonly List<string> _results = [];
        private ResourceLockManager? _locks;

        public IReadOnlyList<string> Results => _results;

        private ResourceLockManager Locks => _locks ??= new ResourceLockManager(new ResourceLockOptions { Leases = Short, KeyCase = keyCase }, _clock);

        public string Describe() =>
            string.Join("; ", Locks.Held().Select(l => $"{l.TaskId}/{l.Owner} e{l.Epoch} [{string.Join(",", l.Resources)}] until {Ticks(l.ExpiresAt)}"))
            + " | " + string.Join(", ", Locks.History().Select(e => $"{e.Kind} {e.TaskId}/{e.Owner} e{e.Epoch} [{string.Join(",", e.Resources)}] at {Ticks(e.At)}"));

        public void Acquire(string task, (string Base, string Raw)[] set)
        {
            var result = Locks.TryAcquire(task, Owner(task), set.Select(k => k.Raw));
            if (result.Acquired)
            {
                _leases[task] = result.Lease;
                Step($"acquire {task}: e{result.Lease.Epoch} [{string.Join(",", result.Lease.Resources)}] until {Ticks(result.Lease.ExpiresAt)}");
            }
            else
            {
                Require(result.Conflicts.Count > 0, "a refused acquisition named no conflict");
                Step($"acquire {task}: conflict " + string.Join(" ", result.Conflicts.Select(c =>
                    $"{c.Resource}:{c.HolderTaskId}/{c.HolderOwner} e{c.HolderEpoch} stale at {Ticks(c.HolderStaleAt)}")));
            }
        }

        public void Renew(string task)
        {
            if (!_leases.TryGetValue(task, out var lease))
            {
                Step($"renew {task}: no lease");
                return;
            }

            if (Locks.TryRenew(lease, out var renewed))
            {
                Require(renewed == lease with { ExpiresAt = renewed.ExpiresAt }, $"renewing {lease} returned {renewed}");
                _leases[task] = renewed;
                Step($"renew {task} e{lease.Epoch}: until {Ticks(renewed.ExpiresAt)}");
            }
            else
            {
                Step($"renew {task} e{lease.Epoch}: refused");
            }
        }

        public void Release(string task) =>
            Step(_leases.TryGetValue(task, out var lease) ? $"release {task} e{lease.Epoch}: {Locks.TryRelease(lease)}" : $"release {task}: no lease");

        public void Sweep() => Step($"sweep: {Locks.ReleaseStale()}");

        public void Holder(string key) =>
            Step($"holder {key}: " + (Locks.TryGetHolder(key, out var holder) ? $"{holder.TaskId} e{holder.Epoch}" : "none"));

        public void Advance(int step)
        {
            _ = Locks; // the manager's origin is the start, whatever the first step is
            _clock.Advance(TimeSpan.FromTicks(AdvanceTicks(step)));
            Step($"advance {AdvanceTicks(step)}");
        }

        private static long Ticks(DateTimeOffset at) => (at - Start).Ticks;

        private static void Require(bool ok, string violation)
        {
            if (!ok)
            {
                throw new InvalidOperationException(violation);
            }
        }

        private void Step(string result)
        {
            _results.Add(result);
            var held = Locks.Held();
            var resources = held.SelectMany(l => l.Resources).ToList();
            Require(resources.Count == resources.Distinct().Count(), $"a resource has two live holders: {string.Join("; ", held)}");
            foreach (var lease in held)
            {
                foreach (var key in lease.Resources)
                {
                    Require(Locks.TryGetHolder(key.Value, out var holder) && holder == lease, $"{key}: holder {holder} but held by {lease}");
                    Require(lease.Epoch > _latest.GetValueOrDefault(key) || lease.Epoch == _latest[key], $"{key}: epoch {lease.Epoch} after {_latest.GetValueOrDefault(key)}");
                    _latest[key] = lease.Epoch;
                }
            }
        }
    }

    /// <summary>The specification: a dictionary from key to holder with its deadline, in ticks since the start.</summary>
    private sealed class Model(ResourceKeyCase keyCase)
    {
        private readonly Dictionary<string, Entry> _holders = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _latest = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (long Epoch, string[] Keys)> _hands = [];
        private readonly List<string> _history = [];
        private readonly List<string> _results = [];
        private long _now;

        public IReadOnlyList<string> Results => _results;

        public string Describe() =>
            string.Join("; ", _holders.Values.Distinct().Where(Live).OrderBy(e => e.Keys[0], StringComparer.Ordinal)
                .Select(e => $"{e.Task}/{Owner(e.Task)} e{e.Epoch} [{string.Join(",", e.Keys)}] until {e.Deadline}"))
            + " | " + string.Join(", ", _history);

        public void Acquire(string task, (string Base, string Raw)[] set)
        {
            var keys = set.Select(k => Canonical(k.Base)).Distinct().Order(StringComparer.Ordinal).ToArray();
            foreach (var key in keys)
            {
                if (_holders.TryGetValue(key, out var stale) && !Live(stale))
                {
                    Remove(stale, "StaleReleased");
                }
            }

            var conflicts = keys.Where(_holders.ContainsKey).ToList();
            if (conflicts.Count > 0)
            {
                Event("Conflict", task, 0, keys);
                _results.Add($"acquire {task}: conflict " + string.Join(" ", conflicts.Select(k =>
                    $"{k}:{_holders[k].Task}/{Owner(_holders[k].Task)} e{_holders[k].Epoch} stale at {_holders[k].Deadline + 1}")));
                return;
            }

            var entry = new Entry(task, 1 + keys.Max(k => _latest.GetValueOrDefault(k)), keys) { Deadline = _now + Short.StaleAfter.Ticks };
            foreach (var key in keys)
            {
                _holders[key] = entry;
                _latest[key] = entry.Epoch;
            }

            _hands[task] = (entry.Epoch, keys);
            Event("Acquired", task, entry.Epoch, keys);
            _results.Add($"acquire {task}: e{entry.Epoch} [{string.Join(",", keys)}] until {entry.Deadline}");
        }

        public void Renew(string task)
        {
            if (!_hands.TryGetValue(task, out var hand))
            {
                _results.Add($"renew {task}: no lease");
                return;
            }

            if (Current(task, hand) is { } entry)
            {
                entry.Deadline = _now + Short.StaleAfter.Ticks;
                Event("Renewed", task, entry.Epoch, entry.Keys);
                _results.Add($"renew {task} e{hand.Epoch}: until {entry.Deadline}");
            }
            else
            {
                _results.Add($"renew {task} e{hand.Epoch}: refused");
            }
        }

        public void Release(string task)
        {
            if (!_hands.TryGetValue(task, out var hand))
            {
                _results.Add($"release {task}: no lease");
                return;
            }

            var entry = Current(task, hand);
            if (entry is not null)
            {
                Remove(entry, "Released");
            }

            _results.Add($"release {task} e{hand.Epoch}: {entry is not null}");
        }

        public void Sweep()
        {
            var stale = _holders.Values.Distinct().Where(e => !Live(e)).OrderBy(e => e.Keys[0], StringComparer.Ordinal).ToList();
            foreach (var entry in stale)
            {
                Remove(entry, "StaleReleased");
            }

            _results.Add($"sweep: {stale.Count}");
        }

        public void Holder(string key) =>
            _results.Add($"holder {key}: " + (_holders.TryGetValue(Canonical(key), out var e) && Live(e) ? $"{e.Task} e{e.Epoch}" : "none"));

        public void Advance(int step)
        {
            _now += AdvanceTicks(step);
            _results.Add($"advance {AdvanceTicks(step)}");
        }

        private string Canonical(string key) => keyCase == ResourceKeyCase.Insensitive ? key.ToUpperInvariant() : key;

        private bool Live(Entry entry) => _now <= entry.Deadline;

        private Entry? Current(string task, (long Epoch, string[] Keys) hand) =>
            _holders.TryGetValue(hand.Keys[0], out var entry) && entry.Epoch == hand.Epoch && entry.Task == task && Live(entry) ? entry : null;

        private void Remove(Entry entry, string kind)
        {
            foreach (var key in entry.Keys)
            {
                _holders.Remove(key);
            }

            Event(kind, entry.Task, entry.Epoch, entry.Keys);
        }

        private void Event(string kind, string task, long epoch, string[] keys) =>
            _history.Add($"{kind} {task}/{Owner(task)} e{epoch} [{string.Join(",", keys)}] at {_now}");

        private sealed class Entry(string task, long epoch, string[] keys)
        {
            public string Task { get; } = task;

            public long Epoch { get; } = epoch;

            public string[] Keys { get; } = keys;

            public long Deadline { get; set; }
        }
    }
}
