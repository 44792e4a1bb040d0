using System.Threading.Tasks;
using Weaver;

namespace Demo.Reviews
{
    public sealed record ReviewInput(string Repository, int PullRequest);

    public sealed record ReviewResult(bool Approved, string Summary);

    public static partial class Pipelines
    {
        /// <summary>Reviews one pull request.</summary>
        [TaskHandler("review-pr")]
        public sealed partial class ReviewHandler : ITaskHandler<ReviewInput, ReviewResult>
        {
            public ValueTask<ReviewResult> HandleAsync(ReviewInput input, TaskContext context) =>
                ValueTask.FromResult(new ReviewResult(input.PullRequest % 2 == 0, $"{input.Repository}#{input.PullRequest}"));
        }
    }
}

/// <summary>Answers with the length of its input.</summary>
[TaskHandler("ping")]
internal partial class PingHandler : ITaskHandler<string?, int>
{
    public ValueTask<int> HandleAsync(string? input, TaskContext context) => ValueTask.FromResult(input?.Length ?? 0);
}
