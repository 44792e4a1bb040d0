namespace Weaver.Runtime.Tests.Outcomes;

/// <summary>
/// A real handler with outcome methods, registered by the generator: its input says how the attempt goes, and every
/// call of <see cref="HandleAsync"/> and of an outcome method is written to <see cref="Journal"/> under the task's id.
/// </summary>
[TaskHandler(Kind)]
public sealed partial class OutcomeProbeHandler : ITaskHandler<string, string>
{
    public const string Kind = "outcome-probe";

    /// <summary>Outcome methods throw for tasks whose id starts with this.</summary>
    public const string ThrowingIdPrefix = "throwing-";

    public static OutcomeJournal Journal { get; } = new();

    public async ValueTask<string> HandleAsync(string input, TaskContext context)
    {
        Journal.Record(context.TaskId, nameof(HandleAsync), snapshot: null);
        switch (input)
        {
            case "fail":
                throw new InvalidOperationException("The probe failed, as asked.");
            case "block":
                await Task.Delay(Timeout.InfiniteTimeSpan, context.CancellationToken);
                break;
            case "wait":
                await Journal.Released(context.TaskId);
                break;
        }

        return input + " done";
    }

    [OnOutcome(TaskLifecycle.State.Succeeded)]
    public void CountSuccess(TaskSnapshot task)
    {
        if (task.Id.StartsWith(ThrowingIdPrefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The outcome failed, as asked.");
        }

        Journal.Record(task.Id, nameof(CountSuccess), task);
    }

    [OnOutcome(TaskLifecycle.State.Succeeded)]
    public async Task PublishAsync(TaskSnapshot task, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        Journal.Record(task.Id, nameof(PublishAsync), task);
    }

    [OnOutcome(TaskLifecycle.State.Dead)]
    [OnOutcome(TaskLifecycle.State.Cancelled)]
    public ValueTask CleanUpAsync(TaskSnapshot task)
    {
        Journal.Record(task.Id, nameof(CleanUpAsync), task);
        return ValueTask.CompletedTask;
    }
}
