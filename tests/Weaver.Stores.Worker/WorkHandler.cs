namespace Weaver.Stores.Worker;

/// <summary>
/// The worker's one handler: it works for <see cref="WorkTime"/> of real time (cancelled the moment its lease is lost or
/// the worker stops), reports that it finished, and returns a result naming the task and the attempt that ran it.
/// </summary>
[TaskHandler(WorkerProtocol.Kind)]
public sealed partial class WorkHandler : ITaskHandler<WorkItem, WorkDone>
{
    /// <summary>How long each attempt works; set once from <c>--work-ms</c> before the worker group starts.</summary>
    internal static TimeSpan WorkTime { get; set; }

    /// <inheritdoc />
    public async ValueTask<WorkDone> HandleAsync(WorkItem input, TaskContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        if (WorkTime > TimeSpan.Zero)
        {
            await Task.Delay(WorkTime, TimeProvider.System, context.CancellationToken).ConfigureAwait(false);
        }
        else
        {
            await Task.Yield();
            context.CancellationToken.ThrowIfCancellationRequested();
        }

        var lease = context.Lease;
        Report.Write(WorkerProtocol.Finished, context.TaskId, lease.Owner, lease.Epoch, context.Attempt);
        return new WorkDone(context.TaskId, input.Number, lease.Owner, lease.Epoch, context.Attempt);
    }
}
