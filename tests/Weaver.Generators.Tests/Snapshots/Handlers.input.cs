using System.Threading;
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

namespace Demo.Exports
{
    /// <summary>Exports a report, and follows up on how each export ended.</summary>
    [TaskHandler("export")]
    public sealed partial class ExportHandler : ITaskHandler<string, string>
    {
        public ValueTask<string> HandleAsync(string input, TaskContext context) => ValueTask.FromResult("/exports/" + input);

        [OnOutcome(TaskLifecycle.State.Succeeded)]
        private void Count(TaskSnapshot task)
        {
        }

        [OnOutcome(TaskLifecycle.State.Succeeded)]
        public Task NotifyAsync(TaskSnapshot task, CancellationToken cancellationToken) => Task.CompletedTask;

        [OnOutcome(TaskLifecycle.State.Dead)]
        [OnOutcome(TaskLifecycle.State.Cancelled)]
        internal ValueTask CleanUpAsync(TaskSnapshot task) => ValueTask.CompletedTask;

        [OnOutcome(TaskLifecycle.State.Dead)]
        private void @event(TaskSnapshot task, CancellationToken cancellationToken)
        {
        }
    }

    /// <summary>Audits a number, and counts how audits ended without awaiting anything.</summary>
    [TaskHandler("audit")]
    internal sealed partial class AuditHandler : ITaskHandler<int, int>
    {
        public ValueTask<int> HandleAsync(int input, TaskContext context) => ValueTask.FromResult(input);

        [OnOutcome(TaskLifecycle.State.Succeeded)]
        [OnOutcome(TaskLifecycle.State.Dead)]
        [OnOutcome(TaskLifecycle.State.Cancelled)]
        public void Count(TaskSnapshot task)
        {
        }
    }
}
