namespace FileLocks;

/// <summary>A save under a lock epoch older than one the file was already written under: its writer lost the lock.</summary>
public sealed class StaleLockException(EditSession session, string file, long token, long newest)
    : Exception($"{file} was already written under lock epoch {newest}; {session.Owner} saves for {session.TaskId} under epoch {token}, a lock it no longer holds.")
{
    public string File { get; } = file;

    public long Token { get; } = token;

    public long Newest { get; } = newest;
}
