using static Weaver.Runtime.Tests.Claims.ClaimTableKit;

namespace Weaver.Runtime.Tests.Claims;

/// <summary>
/// A thread remembers the owner it interned last, to skip the name lookup on its next claim. The memory belongs to one
/// table: the same name has other ids in other tables, and a thread that claims in several must get each table's own.
/// </summary>
public sealed class ClaimTableOwnerCacheTests
{
    [Fact]
    public void One_thread_claiming_in_two_tables_with_one_name_is_named_right_in_each()
    {
        var (_, first) = NewTable();
        var (_, second) = NewTable();
        const string owner = "w1";
        Assert.True(first.TryClaim("seed", "w0", out _)); // in the first table "w1" gets id 1; in the second, id 0

        for (var round = 0; round < 3; round++)
        {
            Assert.True(first.TryClaim($"a{round}", owner, out var inFirst));
            Assert.True(second.TryClaim($"b{round}", owner, out var inSecond));

            Assert.True(first.TryGetHolder($"a{round}", out var firstHolder));
            Assert.True(second.TryGetHolder($"b{round}", out var secondHolder));
            Assert.Equal((owner, owner), (firstHolder.Owner, secondHolder.Owner));
            Assert.True(first.IsCurrent(inFirst) && second.IsCurrent(inSecond), "each lease is its table's current one");
        }
    }

    [Fact]
    public void A_new_owner_on_the_same_thread_is_not_mistaken_for_the_last_one()
    {
        var (_, table) = NewTable();

        Assert.True(table.TryClaim("a", "w1", out _));
        Assert.True(table.TryClaim("b", "w2", out _));
        Assert.True(table.TryClaim("c", "w1", out _));

        Assert.Equal(
            ["w1", "w2", "w1"],
            new[] { "a", "b", "c" }.Select(key => table.TryGetHolder(key, out var holder) ? holder.Owner : "(none)"));
    }
}
