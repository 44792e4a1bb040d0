using CsCheck;
using Microsoft.Extensions.Time.Testing;
using static Weaver.Runtime.Tests.Locks.LockKit;

namespace Weaver.Runtime.Tests.Locks;

/// <summary>
/// CsCheck's <c>SampleModelBased</c>: random sequences of acquire (random sets over a small universe, each key in a
/// random spelling), renew, release, sweep, holder reads and clock moves (landing on and around the stale boundary) on
/// a real manager and on <see cref="LockModel"/>, a dictionary of holders with deadlines, which must answer every step
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

    private sealed class Actual(ResourceKeyCase keyCase)
    {
        private readonly FakeTimeProvider _clock = new(Start);
        private readonly Dictionary<string, ResourceLease> _leases = [];
        private readonly Dictionary<ResourceKey, long> _latest = [];
        private readonly List<string> _results = [];
        private ResourceLockManager? _locks;

        public IReadOnlyList<string> Results => _results;

        private ResourceLockManager Locks => _locks ??= new ResourceLockManager(new ResourceLockOptions { Leases = Short, KeyCase = keyCase }, _clock);

        public string Describe() => LockModel.Describe(Locks);

        public void Acquire(string task, (string Base, string Raw)[] set)
        {
            var result = Locks.TryAcquire(task, LockModel.Owner(task), set.Select(k => k.Raw));
            if (result.Acquired)
            {
                _leases[task] = result.Lease;
                Step(LockModel.Granted(task, result.Lease));
            }
            else
            {
                Require(result.Conflicts.Count > 0, "a refused acquisition named no conflict");
                Step(LockModel.Refused(task, result.Conflicts));
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
                Step($"renew {task} e{lease.Epoch}: until {LockModel.Ticks(renewed.ExpiresAt)}");
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
            Step($"holder {Canonical(key)}: " + (Locks.TryGetHolder(key, out var holder) ? $"{holder.TaskId} e{holder.Epoch}" : "none"));

        public void Advance(int step)
        {
            _ = Locks; // the manager's origin is the start, whatever the first step is
            _clock.Advance(TimeSpan.FromTicks(AdvanceTicks(step)));
            Step($"advance {AdvanceTicks(step)}");
        }

        private string Canonical(string key) => ResourceKey.Normalize(key, keyCase).Value;

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
                    Require(lease.Epoch >= _latest.GetValueOrDefault(key), $"{key}: epoch {lease.Epoch} after {_latest.GetValueOrDefault(key)}");
                    _latest[key] = lease.Epoch;
                }
            }
        }
    }

    /// <summary><see cref="LockModel"/> with the lease each task last got in hand, as <see cref="Actual"/> keeps it.</summary>
    private sealed class Model(ResourceKeyCase keyCase)
    {
        private readonly LockModel _state = new();
        private readonly Dictionary<string, (long Epoch, string[] Keys)> _hands = [];
        private readonly List<string> _results = [];

        public IReadOnlyList<string> Results => _results;

        public string Describe() => _state.Describe();

        public void Acquire(string task, (string Base, string Raw)[] set)
        {
            var keys = set.Select(k => Canonical(k.Base)).Distinct().Order(StringComparer.Ordinal).ToArray();
            var (epoch, result) = _state.Acquire(task, keys);
            if (epoch > 0)
            {
                _hands[task] = (epoch, keys);
            }

            _results.Add(result);
        }

        public void Renew(string task) =>
            _results.Add(_hands.TryGetValue(task, out var hand) ? _state.Renew(task, hand.Epoch, hand.Keys) : $"renew {task}: no lease");

        public void Release(string task) =>
            _results.Add(_hands.TryGetValue(task, out var hand) ? _state.Release(task, hand.Epoch, hand.Keys) : $"release {task}: no lease");

        public void Sweep() => _results.Add(_state.Sweep());

        public void Holder(string key) => _results.Add(_state.Holder(Canonical(key)));

        public void Advance(int step)
        {
            _state.Advance(AdvanceTicks(step));
            _results.Add($"advance {AdvanceTicks(step)}");
        }

        private string Canonical(string key) => keyCase == ResourceKeyCase.Insensitive ? key.ToUpperInvariant() : key;
    }
}
