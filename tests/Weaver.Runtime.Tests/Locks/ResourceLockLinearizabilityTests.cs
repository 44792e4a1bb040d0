using System.Collections.Concurrent;
using CsCheck;
using Microsoft.Extensions.Time.Testing;
using static Weaver.Runtime.Tests.Locks.LockKit;

namespace Weaver.Runtime.Tests.Locks;

/// <summary>
/// CsCheck's <c>SampleParallel</c>: from a random start (leases held, released and stale), up to five acquisitions,
/// renewals, releases, sweeps and reads run in parallel on one manager, with the clock standing still. What every call
/// returned, the leases held after and the whole history (in the manager's own order) must match some sequential
/// order of the same calls on <see cref="LockModel"/>: each operation took effect at once, over all its keys.
/// </summary>
[Collection(nameof(LockConcurrency))]
public sealed class ResourceLockLinearizabilityTests
{
    private static readonly string[] Universe = ["a", "b", "c"];
    private static readonly Gen<string> Task = Gen.OneOf("t1", "t2", "t3");
    private static readonly Gen<int> Mask = Gen.Int[1, (1 << Universe.Length) - 1];
    private static readonly Gen<int> LeaseIndex = Gen.Int[0, 4];

    [Fact]
    public void Acquire_renew_release_sweep_and_reads_on_a_shared_manager_are_linearizable()
    {
        var before = Gen.Select(Task, Mask, Gen.Bool).Array[0, 3]; // acquired, then released or left to go stale
        var after = Gen.Select(Task, Mask).Array[0, 2];            // acquired after the clock moved: live
        var initial = Gen.Select(before, after).Select((b, a) => Setup(b, a));

        initial.SampleParallel(
            [
                Gen.Select(Task, Mask).Operation<Shared, Model>(
                    t => $"acquire {t.Item1} [{string.Join(",", Keys(t.Item2))}]",
                    (actual, t) => actual.Acquire(t.Item1, Keys(t.Item2)),
                    (model, t) => model.Record(model.State.Acquire(t.Item1, Keys(t.Item2)).Result)),
                LeaseIndex.Operation<Shared, Model>(
                    i => $"renew #{i}",
                    (actual, i) => actual.Renew(i),
                    (model, i) => model.Record(model.Lease(i) is { } l ? model.State.Renew(l.Task, l.Epoch, l.Keys) : "no lease")),
                LeaseIndex.Operation<Shared, Model>(
                    i => $"release #{i}",
                    (actual, i) => actual.Release(i),
                    (model, i) => model.Record(model.Lease(i) is { } l ? model.State.Release(l.Task, l.Epoch, l.Keys) : "no lease")),
                Gen.Const(0).Operation<Shared, Model>(_ => "sweep", (actual, _) => actual.Sweep(), (model, _) => model.Record(model.State.Sweep())),
                Gen.OneOf(Universe).Operation<Shared, Model>(k => $"holder {k}", (actual, k) => actual.Holder(k), (model, k) => model.Record(model.State.Holder(k))),
            ],
            equal: (actual, model) =>
                actual.Describe() == model.State.Describe()
                && actual.Results.Order(StringComparer.Ordinal).SequenceEqual(model.Results.Order(StringComparer.Ordinal)),
            iter: 1_000,
            printActual: actual => $"{actual.Describe()} | results: {string.Join(", ", actual.Results)}",
            printModel: model => $"{model.State.Describe()} | results: {string.Join(", ", model.Results)}");
    }

    private static string[] Keys(int mask) => [.. Universe.Where((_, i) => (mask & (1 << i)) != 0)];

    /// <summary>Builds the same start on a real manager and on the model; the leases granted are numbered for renew and release.</summary>
    private static (Shared, Model) Setup((string Task, int Mask, bool Release)[] before, (string Task, int Mask)[] after)
    {
        var clock = new FakeTimeProvider(Start);
        var locks = new ResourceLockManager(new ResourceLockOptions { Leases = Short }, clock);
        var state = new LockModel();
        var leases = new List<ResourceLease>();

        void Acquire(string task, int mask, bool release)
        {
            var result = locks.TryAcquire(task, LockModel.Owner(task), Keys(mask));
            var (epoch, expected) = state.Acquire(task, Keys(mask));
            Assert.Equal(expected, result.Acquired ? LockModel.Granted(task, result.Lease) : LockModel.Refused(task, result.Conflicts));
            if (result.Acquired)
            {
                leases.Add(result.Lease);
                if (release)
                {
                    Assert.True(locks.TryRelease(result.Lease));
                    Assert.Equal("release " + task + " e" + epoch + ": True", state.Release(task, epoch, Keys(mask)));
                }
            }
        }

        foreach (var (task, mask, release) in before)
        {
            Acquire(task, mask, release);
        }

        clock.Advance(Short.StaleAfter + OneTick);
        state.Advance((Short.StaleAfter + OneTick).Ticks);
        foreach (var (task, mask) in after)
        {
            Acquire(task, mask, release: false);
        }

        var shared = new Shared(locks, leases);
        Assert.Equal(state.Describe(), shared.Describe());
        return (shared, new Model(state, leases));
    }

    /// <summary>The sequential model, the numbered leases of the start, and what each call returned on it, in order.</summary>
    private sealed class Model(LockModel state, IReadOnlyList<ResourceLease> leases)
    {
        private readonly List<string> _results = [];

        public LockModel State { get; } = state;

        public IEnumerable<string> Results => _results;

        public (string Task, long Epoch, string[] Keys)? Lease(int index) =>
            index < leases.Count ? (leases[index].TaskId, leases[index].Epoch, [.. leases[index].Resources.Select(k => k.Value)]) : null;

        public void Record(string result) => _results.Add(result);
    }

    /// <summary>The manager the threads share, and what each call returned (in any order).</summary>
    private sealed class Shared(ResourceLockManager locks, IReadOnlyList<ResourceLease> leases)
    {
        private readonly ConcurrentQueue<string> _results = new();

        public IEnumerable<string> Results => _results;

        public string Describe() => LockModel.Describe(locks);

        public void Acquire(string task, string[] keys)
        {
            var result = locks.TryAcquire(task, LockModel.Owner(task), keys);
            _results.Enqueue(result.Acquired ? LockModel.Granted(task, result.Lease) : LockModel.Refused(task, result.Conflicts));
        }

        public void Renew(int index)
        {
            if (index >= leases.Count)
            {
                _results.Enqueue("no lease");
                return;
            }

            var lease = leases[index];
            _results.Enqueue(locks.TryRenew(lease, out var renewed)
                ? $"renew {lease.TaskId} e{lease.Epoch}: until {LockModel.Ticks(renewed.ExpiresAt)}"
                : $"renew {lease.TaskId} e{lease.Epoch}: refused");
        }

        public void Release(int index) =>
            _results.Enqueue(index < leases.Count ? $"release {leases[index].TaskId} e{leases[index].Epoch}: {locks.TryRelease(leases[index])}" : "no lease");

        public void Sweep() => _results.Enqueue($"sweep: {locks.ReleaseStale()}");

        public void Holder(string key) =>
            _results.Enqueue($"holder {key}: " + (locks.TryGetHolder(key, out var holder) ? $"{holder.TaskId} e{holder.Epoch}" : "none"));
    }
}
