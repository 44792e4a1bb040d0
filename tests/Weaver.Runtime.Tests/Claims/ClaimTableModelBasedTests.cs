using CsCheck;
using Microsoft.Extensions.Time.Testing;
using static Weaver.Runtime.Tests.Claims.ClaimTableKit;

namespace Weaver.Runtime.Tests.Claims;

/// <summary>
/// CsCheck's <c>SampleModelBased</c>: random sequences of claim, renew, release, expire, reads and clock moves (landing on
/// and around the stale boundary) on a real table and on <see cref="LeaseModel"/>, which must answer every step alike.
/// After every step the table is also checked against the invariants directly: at most one current lease per key,
/// epochs only grow (each claim the next one), and a lease once released or stale never becomes current again.
/// </summary>
public sealed class ClaimTableModelBasedTests
{
    private static readonly string[] Keys = ["a", "b"];
    private static readonly Gen<string> Key = Gen.OneOf(Keys);
    private static readonly Gen<string> Owner = Gen.OneOf("w1", "w2", "w3");

    private static readonly LeaseOptions Tiny = new()
    {
        LeaseDuration = TimeSpan.FromMilliseconds(3),
        HeartbeatInterval = TimeSpan.FromMilliseconds(1),
        StaleAfterMissedHeartbeats = 1,
    };

    [Fact]
    public void Every_step_matches_the_model_and_keeps_the_invariants()
    {
        var initial = Gen.Int[0, 1].Select(timing =>
        {
            var options = timing == 0 ? Short : Tiny;
            return (new Actual(options), new Model(options));
        });

        initial.SampleModelBased(
            [
                Gen.Select(Key, Owner).Operation<Actual, Model>(t => $"claim {t.Item1} {t.Item2}", (a, t) => a.Claim(t.Item1, t.Item2), (m, t) => m.Claim(t.Item1, t.Item2)),
                Gen.Select(Key, Owner).Operation<Actual, Model>(t => $"renew {t.Item1} {t.Item2}", (a, t) => a.Renew(t.Item1, t.Item2), (m, t) => m.Renew(t.Item1, t.Item2)),
                Gen.Select(Key, Owner).Operation<Actual, Model>(t => $"release {t.Item1} {t.Item2}", (a, t) => a.Release(t.Item1, t.Item2), (m, t) => m.Release(t.Item1, t.Item2)),
                Key.Operation<Actual, Model>(k => $"expire {k}", (a, k) => a.Expire(k), (m, k) => m.Expire(k)),
                Gen.Select(Key, Owner).Operation<Actual, Model>(t => $"current {t.Item1} {t.Item2}", (a, t) => a.IsCurrent(t.Item1, t.Item2), (m, t) => m.IsCurrent(t.Item1, t.Item2)),
                Key.Operation<Actual, Model>(k => $"holder {k}", (a, k) => a.Holder(k), (m, k) => m.Holder(k)),
                Gen.Int[0, 7].Operation<Actual, Model>(step => $"advance #{step}", (a, step) => a.Advance(step), (m, step) => m.Advance(step)),
            ],
            equal: (actual, model) => actual.Describe() == model.Describe() && actual.Results.SequenceEqual(model.Results),
            iter: 3_000,
            printActual: actual => $"{actual.Describe()} | steps: {string.Join(", ", actual.Results)}",
            printModel: model => $"{model.Describe()} | steps: {string.Join(", ", model.Results)}");
    }

    /// <summary>How far a clock move goes: around a heartbeat and around the stale boundary.</summary>
    private static long AdvanceMs(LeaseOptions options, int step)
    {
        var staleAfter = (long)options.StaleAfter.TotalMilliseconds;
        return step switch
        {
            0 => 0,
            1 => 1,
            2 => (long)options.HeartbeatInterval.TotalMilliseconds,
            3 => staleAfter - 1,
            4 => staleAfter,
            5 => staleAfter + 1,
            6 => 2 * staleAfter,
            _ => staleAfter / 2,
        };
    }

    private sealed class Actual(LeaseOptions options)
    {
        private readonly FakeTimeProvider _clock = new(Start);
        private readonly Dictionary<(string Key, string Owner), Lease<string>> _leases = [];
        private readonly List<Lease<string>> _granted = [];
        private readonly HashSet<(string Key, string Owner, long Epoch)> _dead = [];
        private readonly Dictionary<string, long> _latest = [];
        private readonly List<string> _results = [];
        private ClaimTable<string>? _table;

        public IReadOnlyList<string> Results => _results;

        private ClaimTable<string> Table => _table ??= new ClaimTable<string>(options, _clock);

        public string Describe() => LeaseModel.Describe(Table, Start, Keys);

        public void Claim(string key, string owner)
        {
            if (Table.TryClaim(key, owner, out var lease))
            {
                var previous = _granted.Where(g => g.Key == key).Select(g => g.Epoch).DefaultIfEmpty(0).Max();
                Require(lease.Epoch == previous + 1, $"claim of {key} granted epoch {lease.Epoch} after {previous}");
                Require(lease.Key == key && lease.Owner == owner, $"claim of {key} by {owner} returned {lease}");
                _granted.Add(lease);
                _leases[(key, owner)] = lease;
                Step($"claim {key} {owner}: granted e{lease.Epoch} until {LeaseModel.Ms(lease, Start)}");
            }
            else
            {
                Step($"claim {key} {owner}: held by {lease.Owner} e{lease.Epoch} until {LeaseModel.Ms(lease, Start)}");
            }
        }

        public void Renew(string key, string owner)
        {
            if (!_leases.TryGetValue((key, owner), out var lease))
            {
                Step($"renew {key} {owner}: no lease");
                return;
            }

            var wasDead = _dead.Contains(Id(lease));
            var renewed = Table.TryRenew(lease, out var result);
            Require(!(wasDead && renewed), $"{lease}, released or stale before, was renewed");
            Require(renewed ? result == lease with { ExpiresAt = result.ExpiresAt } : result == lease, $"renewing {lease} returned {result}");
            if (renewed)
            {
                _leases[(key, owner)] = result;
            }

            Step($"renew {key} {owner} e{lease.Epoch}: " + (renewed ? $"until {LeaseModel.Ms(result, Start)}" : "refused"));
        }

        public void Release(string key, string owner)
        {
            if (!_leases.TryGetValue((key, owner), out var lease))
            {
                Step($"release {key} {owner}: no lease");
                return;
            }

            var wasDead = _dead.Contains(Id(lease));
            var released = Table.TryRelease(lease);
            Require(!(wasDead && released), $"{lease}, released or stale before, was released again");
            Step($"release {key} {owner} e{lease.Epoch}: {released}");
        }

        public void Expire(string key)
        {
            var expired = Table.TryExpire(key, out var lease);
            Step($"expire {key}: " + (expired ? $"freed {lease.Owner} e{lease.Epoch} until {LeaseModel.Ms(lease, Start)}" : "nothing"));
        }

        public void IsCurrent(string key, string owner) =>
            Step($"current {key} {owner}: " + (_leases.TryGetValue((key, owner), out var lease) ? $"e{lease.Epoch} {Table.IsCurrent(lease)}" : "no lease"));

        public void Holder(string key) =>
            Step($"holder {key}: " + (Table.TryGetHolder(key, out var lease) ? $"{lease.Owner} e{lease.Epoch} until {LeaseModel.Ms(lease, Start)}" : "none"));

        public void Advance(int step)
        {
            var ms = AdvanceMs(options, step);
            _ = Table; // the table's origin is the start, whatever the first step is
            _clock.Advance(TimeSpan.FromMilliseconds(ms));
            Step($"advance {ms}");
        }

        private static (string, string, long) Id(Lease<string> lease) => (lease.Key, lease.Owner, lease.Epoch);

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
            foreach (var key in Keys)
            {
                var latest = Table.LatestEpoch(key);
                Require(latest >= _latest.GetValueOrDefault(key), $"{key}: latest epoch went from {_latest.GetValueOrDefault(key)} down to {latest}");
                _latest[key] = latest;

                var current = _granted.Where(g => g.Key == key && Table.IsCurrent(g)).ToList();
                Require(current.Count <= 1, $"{key}: {current.Count} current leases: {string.Join(", ", current)}");
                var held = Table.TryGetHolder(key, out var holder);
                Require(held == (current.Count == 1) && (!held || Id(holder) == Id(current[0])), $"{key}: holder {holder} but current {string.Join(", ", current)}");
            }

            foreach (var lease in _granted)
            {
                var live = Table.IsCurrent(lease);
                Require(!(live && _dead.Contains(Id(lease))), $"{lease} became current again after it was released or went stale");
                if (!live)
                {
                    _dead.Add(Id(lease));
                }
            }
        }
    }

    private sealed class Model(LeaseOptions options)
    {
        private readonly LeaseModel _state = new((long)options.StaleAfter.TotalMilliseconds);
        private readonly Dictionary<(string Key, string Owner), long> _epochs = [];
        private readonly List<string> _results = [];

        public IReadOnlyList<string> Results => _results;

        public string Describe() => _state.Describe(Keys);

        public void Claim(string key, string owner)
        {
            var (granted, entry) = _state.Claim(key, owner);
            if (granted)
            {
                _epochs[(key, owner)] = entry.Epoch;
                _results.Add($"claim {key} {owner}: granted e{entry.Epoch} until {entry.Deadline}");
            }
            else
            {
                _results.Add($"claim {key} {owner}: held by {entry.Owner} e{entry.Epoch} until {entry.Deadline}");
            }
        }

        public void Renew(string key, string owner)
        {
            if (!_epochs.TryGetValue((key, owner), out var epoch))
            {
                _results.Add($"renew {key} {owner}: no lease");
                return;
            }

            var (renewed, entry) = _state.Renew(key, owner, epoch);
            _results.Add($"renew {key} {owner} e{epoch}: " + (renewed ? $"until {entry.Deadline}" : "refused"));
        }

        public void Release(string key, string owner) =>
            _results.Add(_epochs.TryGetValue((key, owner), out var epoch)
                ? $"release {key} {owner} e{epoch}: {_state.Release(key, owner, epoch)}"
                : $"release {key} {owner}: no lease");

        public void Expire(string key)
        {
            var (expired, entry) = _state.Expire(key);
            _results.Add($"expire {key}: " + (expired ? $"freed {entry.Owner} e{entry.Epoch} until {entry.Deadline}" : "nothing"));
        }

        public void IsCurrent(string key, string owner) =>
            _results.Add($"current {key} {owner}: " + (_epochs.TryGetValue((key, owner), out var epoch) ? $"e{epoch} {_state.IsCurrent(key, owner, epoch)}" : "no lease"));

        public void Holder(string key)
        {
            var (held, entry) = _state.Holder(key);
            _results.Add($"holder {key}: " + (held ? $"{entry.Owner} e{entry.Epoch} until {entry.Deadline}" : "none"));
        }

        public void Advance(int step)
        {
            var ms = AdvanceMs(options, step);
            _state.Advance(ms);
            _results.Add($"advance {ms}");
        }
    }
}
