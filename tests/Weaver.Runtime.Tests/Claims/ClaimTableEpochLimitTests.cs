using static Weaver.Runtime.Tests.Claims.ClaimTableKit;

namespace Weaver.Runtime.Tests.Claims;

/// <summary>An epoch is never reused, even when a key has been claimed as often as its epoch bits can count.</summary>
public sealed class ClaimTableEpochLimitTests
{
    [Fact]
    public void When_a_keys_epochs_run_out_the_next_claim_throws_and_changes_nothing_instead_of_wrapping()
    {
        var (_, table) = NewTable(Short);
        long last = 0;
        InvalidOperationException? error = null;
        while (error is null && last <= 1L << 26)
        {
            try
            {
                if (!table.TryClaim("task-1", "w1", out var lease) || lease.Epoch != last + 1 || !table.TryRelease(lease))
                {
                    Assert.Fail($"claim after epoch {last} returned {lease}");
                }

                last = lease.Epoch;
            }
            catch (InvalidOperationException e)
            {
                error = e;
            }
        }

        Assert.NotNull(error);
        Assert.Equal($"'task-1' has been claimed {last} times, the most one key's epochs can count; use a new key.", error.Message);
        Assert.True(last >= (1L << 24) - 1, $"only {last} claims fit");
        Assert.Equal(last, table.LatestEpoch("task-1"));
        Assert.False(table.TryGetHolder("task-1", out _));
        Assert.Throws<InvalidOperationException>(() => table.TryClaim("task-1", "w2", out _));
        Assert.Equal(last, table.LatestEpoch("task-1"));

        // Other keys are unaffected.
        Assert.True(table.TryClaim("task-2", "w1", out var other));
        Assert.Equal(1, other.Epoch);
    }
}
