namespace FileLocks;

/// <summary>
/// Where the agents' handlers find the repository. Handlers are created with <c>new()</c> (injection comes with
/// hosting), so the program opens the workspace once, before any agent runs.
/// </summary>
public static class Workspace
{
    private static Repository? _repository;

    public static Repository Repository => _repository ?? throw new InvalidOperationException("Open the workspace before agents run.");

    public static void Open(Repository repository) => _repository = repository;
}
