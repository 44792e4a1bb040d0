namespace Weaver.Runtime.Tests.Locks;

public sealed class ResourceKeyTests
{
    [Theory]
    [InlineData("a/b.cs")]
    [InlineData("./a/b.cs")]
    [InlineData("a//b.cs")]
    [InlineData("a/x/../b.cs")]
    [InlineData(@"a\b.cs")]
    [InlineData("a/b.cs/")]
    [InlineData(@".\a\\.\b.cs\")]
    [InlineData("a/x/y/../../b.cs")]
    public void Spellings_of_one_path_are_one_key(string raw) =>
        Assert.Equal("a/b.cs", ResourceKey.Normalize(raw).Value);

    [Theory]
    [InlineData("/a", "/a")]
    [InlineData("//a//b/", "/a/b")]
    [InlineData(@"\a\b", "/a/b")]
    [InlineData("/a/../b", "/b")]
    public void A_leading_slash_is_kept(string raw, string expected) =>
        Assert.Equal(expected, ResourceKey.Normalize(raw).Value);

    [Fact]
    public void An_absolute_path_and_a_relative_one_differ() =>
        Assert.NotEqual(ResourceKey.Normalize("/a"), ResourceKey.Normalize("a"));

    [Theory]
    [InlineData("db:orders")]
    [InlineData("queue:emails")]
    [InlineData("C:")]
    [InlineData("a file.txt")]
    public void Names_pass_through_unchanged(string raw) =>
        Assert.Equal(raw, ResourceKey.Normalize(raw).Value);

    [Fact]
    public void Case_sensitive_keys_keep_their_spelling_and_differ_by_case()
    {
        var upper = ResourceKey.Normalize("Src/A.cs", ResourceKeyCase.Sensitive);
        Assert.Equal("Src/A.cs", upper.Value);
        Assert.NotEqual(upper, ResourceKey.Normalize("src/a.cs"));
    }

    [Fact]
    public void Case_insensitive_keys_are_upper_cased_and_equal_by_case()
    {
        var mixed = ResourceKey.Normalize(@".\Src\A.cs", ResourceKeyCase.Insensitive);
        Assert.Equal("SRC/A.CS", mixed.Value);
        Assert.Equal(mixed, ResourceKey.Normalize("src/a.cs", ResourceKeyCase.Insensitive));
    }

    [Theory]
    [InlineData("", "Resource key '' is empty or white space")]
    [InlineData("   ", "Resource key '   ' is empty or white space")]
    [InlineData(".", "Resource key '.' normalizes to nothing")]
    [InlineData("a/..", "Resource key 'a/..' normalizes to nothing")]
    [InlineData("/", "Resource key '/' normalizes to nothing")]
    [InlineData("../a", "Resource key '../a' climbs above its root")]
    [InlineData("a/../../b", "Resource key 'a/../../b' climbs above its root")]
    [InlineData("/../a", "Resource key '/../a' climbs above its root")]
    public void Bad_keys_are_rejected_with_what_is_wrong_and_what_is_allowed(string raw, string problem)
    {
        var exception = Assert.Throws<ArgumentException>(() => ResourceKey.Normalize(raw));
        Assert.StartsWith(problem, exception.Message, StringComparison.Ordinal);
        Assert.Contains("allowed: a relative path that stays inside its root ('src/a.cs'), an absolute path ('/src/a.cs') or a name ('db:orders')", exception.Message, StringComparison.Ordinal);
        Assert.Equal("raw", exception.ParamName);

        Assert.False(ResourceKey.TryNormalize(raw, ResourceKeyCase.Sensitive, out var key, out var error));
        Assert.Equal(default, key);
        Assert.StartsWith(problem, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_key_is_rejected()
    {
        Assert.False(ResourceKey.TryNormalize(null, ResourceKeyCase.Sensitive, out _, out var error));
        Assert.StartsWith("A resource key is null; allowed:", error, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ResourceKey.Normalize(null!));
    }

    [Fact]
    public void Keys_order_ordinally()
    {
        string[] raw = ["b", "a/b", "B", "a"];
        Assert.Equal(["B", "a", "a/b", "b"], raw.Select(r => ResourceKey.Normalize(r)).Order().Select(k => k.Value));
    }
}
