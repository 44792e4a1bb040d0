namespace FileLocks;

/// <summary>What one agent's task changes, and the files it touches: they are also the task's resources.</summary>
public sealed record EditRequest(string Change, IReadOnlyList<string> Files);
