using Weaver.Tests.Support;
using static Weaver.Runtime.Tests.Claims.ClaimTableKit;

namespace Weaver.Runtime.Tests.Claims;

/// <summary>
/// Claim, renew and release of a key the table already holds allocate nothing: counted with
/// <see cref="AllocationMeter"/> around many calls, after a warm-up.
/// </summary>
public sealed class ClaimTableAllocationTests
{
    private const int Cycles = 10_000;

    [Fact]
    public void Claim_renew_and_release_of_a_known_key_allocate_nothing()
    {
        var (_, table) = NewTable(Short);
        var failures = 0;
        void Cycles(int count)
        {
            for (var i = 0; i < count; i++)
            {
                failures += table.TryClaim("task-1", "w1", out var lease) ? 0 : 1;
                failures += table.TryRenew(lease, out var renewed) ? 0 : 1;
                failures += table.IsCurrent(renewed) ? 0 : 1;
                failures += table.TryRelease(renewed) ? 0 : 1;
            }
        }

        Cycles(1_000);
        var allocated = AllocationMeter.Measure(() => Cycles(ClaimTableAllocationTests.Cycles));

        Assert.Equal(0, failures);
        Assert.True(allocated.Least == 0, $"Every pass allocated: {allocated}.");
        var cyclesRun = 1_000 + (ClaimTableAllocationTests.Cycles * allocated.Passes.Count);
        Assert.Equal(cyclesRun, table.LatestEpoch("task-1")); // the calls did their work
    }

    [Fact]
    public void A_conflicting_claim_and_the_reads_allocate_nothing()
    {
        var (_, table) = NewTable(Short);
        Assert.True(table.TryClaim("task-1", "w1", out var held));
        var zombie = held with { Epoch = 0 };
        var wrong = 0;
        void Calls(int count)
        {
            for (var i = 0; i < count; i++)
            {
                wrong += table.TryClaim("task-1", "w2", out var conflict) || conflict.Epoch != 1 ? 1 : 0;
                wrong += table.TryGetHolder("task-1", out var holder) && holder.Epoch == 1 ? 0 : 1;
                wrong += table.LatestEpoch("task-1") == 1 ? 0 : 1;
                wrong += table.TryExpire("task-1", out _) ? 1 : 0;
                wrong += table.TryRenew(zombie, out _) ? 1 : 0;
                wrong += table.TryRelease(zombie) ? 1 : 0;
            }
        }

        Calls(1_000);
        var allocated = AllocationMeter.Measure(() => Calls(Cycles));

        Assert.Equal(0, wrong);
        Assert.True(allocated.Least == 0, $"Every pass allocated: {allocated}.");
    }

    [Fact]
    public void A_stale_takeover_and_a_sweep_allocate_nothing()
    {
        var (clock, table) = NewTable(Short);
        var stale = Short.StaleAfter + Ms(1);
        var wrong = 0;
        long Rounds(int count)
        {
            long bytes = 0;
            for (var i = 0; i < count; i++)
            {
                clock.Advance(stale); // outside the measurement: only the table's calls are counted
                var before = GC.GetAllocatedBytesForCurrentThread();
                wrong += table.TryClaim("task-1", (i & 1) == 0 ? "w1" : "w2", out _) ? 0 : 1; // takes the stale lease over
                var afterClaim = GC.GetAllocatedBytesForCurrentThread();
                clock.Advance(stale);
                var beforeSweep = GC.GetAllocatedBytesForCurrentThread();
                wrong += table.TryExpire("task-1", out _) ? 0 : 1;
                wrong += table.TryClaim("task-1", "w3", out var lease) ? 0 : 1;
                wrong += table.TryRelease(lease) ? 0 : 1;
                bytes += (afterClaim - before) + (GC.GetAllocatedBytesForCurrentThread() - beforeSweep);
            }

            return bytes;
        }

        Rounds(1_000);
        var allocated = AllocationMeter.MeasureEach(() => Rounds(Cycles));

        Assert.Equal(0, wrong);
        Assert.True(allocated.Least == 0, $"Every pass allocated: {allocated}.");
    }

    [Fact]
    public void Value_type_keys_allocate_nothing_either()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        var table = new ClaimTable<long>(Short, clock);
        var failures = 0;
        void Cycles(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var key = i % 8L;
                failures += table.TryClaim(key, "w1", out var lease) ? 0 : 1;
                failures += table.TryRenew(lease, out var renewed) ? 0 : 1;
                failures += table.TryRelease(renewed) ? 0 : 1;
            }
        }

        Cycles(1_000);
        var allocated = AllocationMeter.Measure(() => Cycles(ClaimTableAllocationTests.Cycles));

        Assert.Equal(0, failures);
        Assert.True(allocated.Least == 0, $"Every pass allocated: {allocated}.");
    }
}
