namespace Weaver.Runtime.Tests.Jobs;

public sealed class JobIdTests
{
    [Fact]
    public void A_job_id_reads_as_its_value()
    {
        Assert.Equal("nightly-build", new JobId("nightly-build").ToString());
        Assert.Equal(new JobId("a"), new JobId("a"));
    }

    [Fact]
    public void New_ids_are_distinct_32_digit_hex_strings()
    {
        var ids = Enumerable.Range(0, 1_000).Select(_ => JobId.New()).ToArray();

        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{32}$", id.Value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void A_blank_job_id_is_rejected(string? value)
    {
        var error = Assert.Throws<ArgumentException>(() => new JobId(value!));
        Assert.StartsWith("A job id must not be null, empty or white space; use JobId.New() for a generated id.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_job_id_reads_as_empty()
    {
        Assert.Equal("", default(JobId).ToString());
    }
}
