using Microsoft.Extensions.Time.Testing;
using static Weaver.Runtime.Tests.Claims.ClaimTableKit;

namespace Weaver.Runtime.Tests.Claims;

/// <summary>Null and empty arguments and empty leases: an <see cref="ArgumentException"/> that says what is allowed, and no change.</summary>
public sealed class ClaimTableBadInputTests
{
    private static readonly string[] Keys = ["live", "stale", "released", "never"];

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_claim_without_an_owner_is_rejected_and_changes_nothing(string? owner)
    {
        var (table, _) = Populated();
        var before = Snapshot(table, Keys);

        foreach (var key in Keys)
        {
            var error = Assert.ThrowsAny<ArgumentException>(() => table.TryClaim(key, owner!, out _));
            Assert.Equal("owner", error.ParamName);
            Assert.Contains(owner is null ? "cannot be null" : "cannot be an empty string", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, Snapshot(table, Keys));
    }

    [Fact]
    public void A_null_key_is_rejected_by_every_call_that_takes_a_key()
    {
        var (table, _) = Populated();
        var before = Snapshot(table, Keys);

        Action[] calls =
        [
            () => _ = table.TryClaim(null!, "w9", out _),
            () => _ = table.TryExpire(null!, out _),
            () => table.TryGetHolder(null!, out _),
            () => table.LatestEpoch(null!),
        ];
        foreach (var call in calls)
        {
            var error = Assert.ThrowsAny<ArgumentNullException>(call);
            Assert.Equal("key", error.ParamName);
        }

        Assert.Equal(before, Snapshot(table, Keys));
    }

    public static TheoryData<string> EmptyLeases => ["default", "null key", "null owner"];

    [Theory]
    [MemberData(nameof(EmptyLeases))]
    public void An_empty_lease_is_rejected_by_renew_release_and_IsCurrent_and_changes_nothing(string which)
    {
        var (table, live) = Populated();
        var lease = which switch
        {
            "default" => default,
            "null key" => live with { Key = null! },
            _ => live with { Owner = null! },
        };
        var before = Snapshot(table, Keys);

        Action[] calls =
        [
            () => _ = table.TryRenew(lease, out _),
            () => _ = table.TryRelease(lease),
            () => table.IsCurrent(lease),
        ];
        foreach (var call in calls)
        {
            var error = Assert.Throws<ArgumentException>(call);
            Assert.Equal("lease", error.ParamName);
            Assert.StartsWith("The lease is empty (default); pass a lease this table granted.", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, Snapshot(table, Keys));
        Assert.True(table.IsCurrent(live));
    }

    [Fact]
    public void A_default_lease_is_rejected_even_when_its_value_type_key_is_held()
    {
        // default(Lease<int>) has Key 0, which a table of ints can hold: the missing owner is what gives it away.
        var clock = new FakeTimeProvider(Start);
        var table = new ClaimTable<int>(null, clock);
        Assert.True(table.TryClaim(0, "w1", out var held));

        Assert.Throws<ArgumentException>(() => table.TryRenew(default, out _));
        Assert.Throws<ArgumentException>(() => table.TryRelease(default));
        Assert.Throws<ArgumentException>(() => table.IsCurrent(default));

        Assert.True(table.TryGetHolder(0, out var holder));
        Assert.Equal(held, holder);
    }

    [Fact]
    public void A_lease_for_a_key_the_table_never_saw_is_simply_not_current()
    {
        var (table, live) = Populated();
        var before = Snapshot(table, Keys);
        var unknown = live with { Key = "never-seen" };

        Assert.False(table.TryRenew(unknown, out var renewed));
        Assert.Equal(unknown, renewed);
        Assert.False(table.TryRelease(unknown));
        Assert.False(table.IsCurrent(unknown));
        Assert.False(table.TryExpire("never-seen", out _));
        Assert.Equal(before, Snapshot(table, Keys));
    }

    /// <summary>A table with a live, a stale and a released key, and the clock left where "stale" is stale.</summary>
    private static (ClaimTable<string> Table, Lease<string> Live) Populated()
    {
        var (clock, table) = NewTable(Short);
        Assert.True(table.TryClaim("stale", "w1", out _));
        Assert.True(table.TryClaim("released", "w2", out var released));
        Assert.True(table.TryRelease(released));
        clock.Advance(Short.StaleAfter + Ms(1));
        Assert.True(table.TryClaim("live", "w3", out var live));
        return (table, live);
    }
}
