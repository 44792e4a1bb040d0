using Weaver;

namespace FileLocks;

/// <summary>
/// An agent's edit. By the time it runs, its worker holds the lock on every file the task declared, so it opens them
/// with their fencing tokens, works for a while and saves.
/// </summary>
[TaskHandler("edit-files")]
public sealed partial class EditFilesHandler : ITaskHandler<EditRequest, string>
{
    public async ValueTask<string> HandleAsync(EditRequest input, TaskContext context)
    {
        var session = Workspace.Repository.Open(context.TaskId, context.Lease.Owner, input.Files);
        await session.EditAsync(input.Change, context.CancellationToken);
        return $"{input.Change}: saved by {context.Lease.Owner}";
    }
}
