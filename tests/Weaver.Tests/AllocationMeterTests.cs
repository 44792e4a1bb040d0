using Weaver.Tests.Support;

namespace Weaver.Tests;

/// <summary>The meter the allocation tests rely on can see an allocation, and forgives only a one-off.</summary>
public sealed class AllocationMeterTests
{
    [Fact]
    public void An_allocation_in_every_pass_is_reported_after_three_passes()
    {
        var kept = new List<object>();

        var allocated = AllocationMeter.Measure(() => kept.Add(new byte[1_000]));

        Assert.Equal(3, allocated.Passes.Count);
        Assert.True(allocated.Least >= 1_000, $"Expected at least 1,000 bytes per pass: {allocated}.");
    }

    [Fact]
    public void A_one_off_allocation_is_forgiven_when_a_later_pass_allocates_nothing()
    {
        var passes = 0;
        object? kept = null;

        var allocated = AllocationMeter.Measure(() =>
        {
            if (passes++ == 0)
            {
                kept = new byte[1_000];
            }
        });

        Assert.NotNull(kept);
        Assert.Equal(2, allocated.Passes.Count);
        Assert.True(allocated.Passes[0] >= 1_000, $"The first pass allocated: {allocated}.");
        Assert.Equal(0, allocated.Least);
    }

    [Fact]
    public void A_pass_that_allocates_nothing_is_measured_once()
    {
        static void Nothing()
        {
        }

        AllocationMeter.Measure(Nothing); // warm-up: the first call of each method is compiled
        var allocated = AllocationMeter.Measure(Nothing);

        Assert.Equal([0L], allocated.Passes);
    }
}
