namespace FileLocks;

/// <summary>One task's files, opened for editing, each with the fencing token of the lock the task holds on it.</summary>
public sealed class EditSession(Repository repository, string taskId, string owner, IReadOnlyDictionary<string, long> tokens)
{
    public string TaskId { get; } = taskId;

    /// <summary>The worker (agent) running the task.</summary>
    public string Owner { get; } = owner;

    /// <summary>Each file, by its normalized name, with the lock epoch it will be saved under.</summary>
    public IReadOnlyDictionary<string, long> Tokens { get; } = tokens;

    /// <summary>Works on the files for the repository's edit time, then saves <paramref name="change"/> to all of them.</summary>
    public async Task EditAsync(string change, CancellationToken cancellationToken)
    {
        repository.BeginEditing(this);
        try
        {
            await Task.Delay(repository.EditTime, repository.Time, cancellationToken);
            Save(change);
        }
        finally
        {
            repository.EndEditing(this);
        }
    }

    /// <summary>Saves <paramref name="change"/> to every file, fenced by its token.</summary>
    /// <exception cref="StaleLockException">A file was written under a newer lock since this session opened it; nothing was saved.</exception>
    public void Save(string change) => repository.Save(this, change);
}
