namespace Weaver.Runtime.Tests.Handlers;

public sealed record ReviewRequest(string Repository, int PullRequest);

public sealed record ReviewOutcome(bool Approved, string Summary);

/// <summary>A real handler, registered by the generator that this test project runs.</summary>
[TaskHandler("review-pr")]
public sealed partial class ReviewPullRequestHandler : ITaskHandler<ReviewRequest, ReviewOutcome>
{
    public ValueTask<ReviewOutcome> HandleAsync(ReviewRequest input, TaskContext context)
    {
        context.ReportCost(1.5m);
        var summary = $"{input.Repository}#{input.PullRequest} reviewed by {context.Lease.Owner} in attempt {context.Attempt}";
        return ValueTask.FromResult(new ReviewOutcome(input.PullRequest % 2 == 0, summary));
    }
}

/// <summary>Nested, internal, and asynchronous: registered all the same.</summary>
public static partial class Maintenance
{
    [TaskHandler("count-words")]
    internal sealed partial class CountWordsHandler : ITaskHandler<string, int>
    {
        public async ValueTask<int> HandleAsync(string input, TaskContext context)
        {
            await Task.Yield();
            context.CancellationToken.ThrowIfCancellationRequested();
            return input.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        }
    }
}
