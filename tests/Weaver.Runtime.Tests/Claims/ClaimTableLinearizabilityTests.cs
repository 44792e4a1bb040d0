using System.Collections.Concurrent;
using CsCheck;
using Microsoft.Extensions.Time.Testing;
using static Weaver.Runtime.Tests.Claims.ClaimTableKit;

namespace Weaver.Runtime.Tests.Claims;

/// <summary>
/// CsCheck's <c>SampleParallel</c>: a random sequential prefix, then up to five calls on two keys by three owners run
/// in parallel on one table, with the clock standing still. What every call returned, and the table's final state,
/// must match some sequential order of the same calls on <see cref="LeaseModel"/>.
/// </summary>
/// <remarks>
/// The starting state has, per key, some claimed-and-released history and then a free, live or stale lease, so that
/// stale takeovers and the sweeper race the other calls too. Results carry epochs and expiries; the owner's name a
/// conflict, <see cref="ClaimTable{TKey}.TryGetHolder"/> or <see cref="ClaimTable{TKey}.TryExpire"/> reports is left
/// out because it is read apart from the claim word (see the skipped BUG tests in
/// <see cref="ClaimTableOwnerRaceTests"/>); the final state, read after the threads are done, does include owners.
/// </remarks>
[Collection(nameof(ClaimConcurrency))]
public sealed class ClaimTableLinearizabilityTests
{
    private static readonly string[] Keys = ["a", "b"];
    private static readonly Gen<string> Key = Gen.OneOf(Keys);
    private static readonly Gen<string> Owner = Gen.OneOf("w1", "w2", "w3");
    private static readonly Gen<long> Epoch = Gen.Long[1, 5];

    [Fact]
    public void Claim_renew_release_expire_and_reads_on_a_shared_table_are_linearizable()
    {
        var perKey = Gen.Select(Gen.Int[0, 2], Gen.Int[0, 2], Owner); // released history, then 0 free / 1 live / 2 stale, by whom
        var initial = Gen.Select(perKey, perKey, Gen.Int[0, 20]).Select((a, b, extraMs) => Setup([a, b], extraMs));

        initial.SampleParallel(
            [
                Gen.Select(Key, Owner).Operation<Shared, Model>(
                    t => $"claim {t.Item1} {t.Item2}",
                    (actual, t) => actual.Claim(t.Item1, t.Item2),
                    (model, t) => model.Record(Claim(model.State, t.Item1, t.Item2))),
                Gen.Select(Key, Owner, Epoch).Operation<Shared, Model>(
                    t => $"renew {t.Item1} {t.Item2} e{t.Item3}",
                    (actual, t) => actual.Renew(t.Item1, t.Item2, t.Item3),
                    (model, t) => model.Record(Renew(model.State, t.Item1, t.Item2, t.Item3))),
                Gen.Select(Key, Owner, Epoch).Operation<Shared, Model>(
                    t => $"release {t.Item1} {t.Item2} e{t.Item3}",
                    (actual, t) => actual.Release(t.Item1, t.Item2, t.Item3),
                    (model, t) => model.Record($"release {t.Item1} {t.Item2} e{t.Item3}: {model.State.Release(t.Item1, t.Item2, t.Item3)}")),
                Key.Operation<Shared, Model>(
                    k => $"expire {k}",
                    (actual, k) => actual.Expire(k),
                    (model, k) => model.Record(Expire(model.State, k))),
                Gen.Select(Key, Owner, Epoch).Operation<Shared, Model>(
                    t => $"current {t.Item1} {t.Item2} e{t.Item3}",
                    (actual, t) => actual.IsCurrent(t.Item1, t.Item2, t.Item3),
                    (model, t) => model.Record($"current {t.Item1} {t.Item2} e{t.Item3}: {model.State.IsCurrent(t.Item1, t.Item2, t.Item3)}")),
                Key.Operation<Shared, Model>(
                    k => $"holder {k}",
                    (actual, k) => actual.Holder(k),
                    (model, k) => model.Record(Holder(model.State, k))),
            ],
            equal: (actual, model) =>
                actual.Describe() == model.State.Describe(Keys)
                && actual.Results.Order(StringComparer.Ordinal).SequenceEqual(model.Results.Order(StringComparer.Ordinal)),
            iter: 1_000,
            printActual: actual => $"{actual.Describe()} | results: {string.Join(", ", actual.Results)}",
            printModel: model => $"{model.State.Describe(Keys)} | results: {string.Join(", ", model.Results)}");
    }

    private static string Claim(LeaseModel model, string key, string owner)
    {
        var (granted, entry) = model.Claim(key, owner);
        return granted
            ? $"claim {key} {owner}: granted e{entry.Epoch} until {entry.Deadline}"
            : $"claim {key} {owner}: held e{entry.Epoch} until {entry.Deadline}";
    }

    private static string Renew(LeaseModel model, string key, string owner, long epoch)
    {
        var (renewed, entry) = model.Renew(key, owner, epoch);
        return $"renew {key} {owner} e{epoch}: " + (renewed ? $"until {entry.Deadline}" : "refused");
    }

    private static string Expire(LeaseModel model, string key)
    {
        var (expired, entry) = model.Expire(key);
        return $"expire {key}: " + (expired ? $"freed e{entry.Epoch} until {entry.Deadline}" : "nothing");
    }

    private static string Holder(LeaseModel model, string key)
    {
        var (held, entry) = model.Holder(key);
        return $"holder {key}: " + (held ? $"e{entry.Epoch} until {entry.Deadline}" : "none");
    }

    /// <summary>
    /// Builds the same start on a real table and on the model: per key, <c>history</c> claims each released at once,
    /// then a lease that is live, stale (claimed at 0, StaleAfter + 1 + extra ms ago) or none.
    /// </summary>
    private static (Shared, Model) Setup((int History, int State, string Owner)[] keys, int extraMs)
    {
        var clock = new FakeTimeProvider(Start);
        var table = new ClaimTable<string>(Short, clock);
        var model = new LeaseModel((long)Short.StaleAfter.TotalMilliseconds);

        void Both(Action<ClaimTable<string>> onTable, Action<LeaseModel> onModel)
        {
            onTable(table);
            onModel(model);
        }

        for (var i = 0; i < keys.Length; i++)
        {
            var key = Keys[i];
            for (var h = 0; h < keys[i].History; h++)
            {
                Both(t => { Assert.True(t.TryClaim(key, "w0", out var l)); Assert.True(t.TryRelease(l)); },
                    m => { var (_, e) = m.Claim(key, "w0"); Assert.True(m.Release(key, "w0", e.Epoch)); });
            }

            if (keys[i].State == 2)
            {
                var owner = keys[i].Owner;
                Both(t => Assert.True(t.TryClaim(key, owner, out _)), m => Assert.True(m.Claim(key, owner).Granted));
            }
        }

        var advance = (long)Short.StaleAfter.TotalMilliseconds + 1 + extraMs;
        Both(_ => clock.Advance(Ms(advance)), m => m.Advance(advance));
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i].State == 1)
            {
                var key = Keys[i];
                var owner = keys[i].Owner;
                Both(t => Assert.True(t.TryClaim(key, owner, out _)), m => Assert.True(m.Claim(key, owner).Granted));
            }
        }

        var shared = new Shared(table);
        Assert.Equal(model.Describe(Keys), shared.Describe());
        return (shared, new Model(model));
    }

    /// <summary>The sequential model and what each call returned on it, in order.</summary>
    private sealed class Model(LeaseModel state)
    {
        private readonly List<string> _results = [];

        public LeaseModel State { get; } = state;

        public IEnumerable<string> Results => _results;

        public void Record(string result) => _results.Add(result);
    }

    /// <summary>The table the threads share, and what each call returned (in any order).</summary>
    private sealed class Shared(ClaimTable<string> table)
    {
        private readonly ConcurrentQueue<string> _results = new();

        public IEnumerable<string> Results => _results;

        public string Describe() => LeaseModel.Describe(table, Start, Keys);

        public void Claim(string key, string owner)
        {
            var granted = table.TryClaim(key, owner, out var lease);
            var shape = lease.Key == key && (!granted || lease.Owner == owner) ? "" : $" (malformed: {lease})";
            _results.Enqueue($"claim {key} {owner}: {(granted ? "granted" : "held")} e{lease.Epoch} until {LeaseModel.Ms(lease, Start)}{shape}");
        }

        public void Renew(string key, string owner, long epoch)
        {
            var lease = new Lease<string>(key, owner, epoch, Start);
            var renewed = table.TryRenew(lease, out var result);
            _results.Enqueue($"renew {key} {owner} e{epoch}: " + (renewed ? $"until {LeaseModel.Ms(result, Start)}" : "refused")
                + (renewed ? (result with { ExpiresAt = Start } == lease ? "" : $" (malformed: {result})") : (result == lease ? "" : $" (changed: {result})")));
        }

        public void Release(string key, string owner, long epoch) =>
            _results.Enqueue($"release {key} {owner} e{epoch}: {table.TryRelease(new Lease<string>(key, owner, epoch, Start))}");

        public void Expire(string key)
        {
            var expired = table.TryExpire(key, out var lease);
            _results.Enqueue($"expire {key}: " + (expired ? $"freed e{lease.Epoch} until {LeaseModel.Ms(lease, Start)}" : "nothing"));
        }

        public void IsCurrent(string key, string owner, long epoch) =>
            _results.Enqueue($"current {key} {owner} e{epoch}: {table.IsCurrent(new Lease<string>(key, owner, epoch, Start))}");

        public void Holder(string key)
        {
            var held = table.TryGetHolder(key, out var lease);
            _results.Enqueue($"holder {key}: " + (held ? $"e{lease.Epoch} until {LeaseModel.Ms(lease, Start)}" : "none"));
        }
    }
}
