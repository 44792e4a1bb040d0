using Microsoft.Extensions.Time.Testing;
using Weaver.Tests.Machines;

namespace Weaver.Tests;

/// <summary>Each machine's generated ClaimTable is the one claim-table core, keyed by that machine's ids.</summary>
public sealed class TypedClaimTableTests
{
    [Fact]
    public void Generated_claim_table_claims_renews_and_releases_machine_keys_with_growing_epochs()
    {
        var time = new FakeTimeProvider();
        var claims = new ReviewMachine.ClaimTable(LeaseOptions.Default, time);
        MachineKey<ReviewMachine> key = "review-1";

        Assert.True(claims.TryClaim(key, "w1", out var first));
        Assert.False(claims.TryClaim(key, "w2", out var holder));
        Assert.Equal("w1", holder.Owner);
        Assert.True(claims.TryRenew(first, out var renewed));
        Assert.True(claims.TryRelease(renewed));
        Assert.True(claims.TryClaim(key, "w2", out var second));

        Assert.Equal(first.Epoch + 1, second.Epoch);
        Assert.IsAssignableFrom<ClaimTable<MachineKey<ReviewMachine>>>(claims);
    }

    [Fact]
    public void Machine_keys_reject_empty_ids()
    {
        Assert.Throws<ArgumentException>(() => new MachineKey<ReviewMachine>(" "));
        Assert.Equal("review-1", new MachineKey<ReviewMachine>("review-1").ToString());
    }
}
