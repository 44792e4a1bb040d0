using Weaver;

namespace GettingStarted;

/// <summary>What a review task is given.</summary>
public sealed record PullRequest(string Repository, int Number);

/// <summary>
/// Reviews one pull request. The runtime runs it under a lease that heartbeats while it works; pull request 3 fails
/// its first attempt to show a retry.
/// </summary>
[TaskHandler("review-pr")]
public sealed partial class ReviewHandler : ITaskHandler<PullRequest, string>
{
    public async ValueTask<string> HandleAsync(PullRequest input, TaskContext context)
    {
        await Task.Yield();
        context.CancellationToken.ThrowIfCancellationRequested();
        if (input.Number == 3 && context.Attempt == 1)
        {
            throw new TimeoutException("the model timed out");
        }

        return $"{input.Repository}#{input.Number} approved by {context.Lease.Owner} (attempt {context.Attempt}, lease epoch {context.Lease.Epoch})";
    }
}
