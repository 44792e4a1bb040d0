using Weaver.Samples.Tests.Infrastructure;

namespace Weaver.Samples.Tests;

[Collection(SampleCollection.Name)]
public sealed class GettingStartedTests
{
    [Fact]
    public async Task It_runs_the_machine_and_five_reviews_and_exits_with_0()
    {
        var run = (await SampleProcess.RunAsync("GettingStarted")).AssertSucceeded();

        Assert.Equal("Outcome: succeeded after 3 attempts.", run.Line("Outcome:"));
        var workers = run.IndexOf("Running 5 review tasks on 2 workers:");
        Assert.True(workers > 0, run.Describe());
        var reviews = run.StandardOutput.Skip(workers).Where(line => line.TrimStart().StartsWith("Succeeded after", StringComparison.Ordinal));
        Assert.Equal(5, reviews.Count());
    }
}
