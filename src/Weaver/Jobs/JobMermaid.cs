using System.Text;

namespace Weaver;

/// <summary>A job's tasks as a Mermaid flowchart: an arrow from each dependency, a dotted one from a decomposed parent.</summary>
internal static class JobMermaid
{
    public static string Write(JobStatus status)
    {
        var node = status.Tasks.Select((task, index) => (task.TaskId, Node: $"t{index}")).ToDictionary(p => p.TaskId, p => p.Node, StringComparer.Ordinal);
        var text = new StringBuilder("flowchart TD\n");
        foreach (var task in status.Tasks)
        {
            var attempts = task.Attempts == 1 ? "1 attempt" : $"{task.Attempts} attempts";
            text.Append($"    {node[task.TaskId]}[\"{Escape(task.TaskId)}<br/>{task.State} · {attempts}\"]:::{task.State.ToString().ToLowerInvariant()}\n");
        }

        foreach (var task in status.Tasks)
        {
            foreach (var dependency in task.DependsOn.Where(node.ContainsKey))
            {
                text.Append($"    {node[dependency]} --> {node[task.TaskId]}\n");
            }

            if (task.Parent is { } parent && node.ContainsKey(parent))
            {
                text.Append($"    {node[parent]} -.-> {node[task.TaskId]}\n");
            }
        }

        foreach (var (state, style) in Styles)
        {
            text.Append($"    classDef {state.ToString().ToLowerInvariant()} {style}\n");
        }

        return text.ToString();
    }

    private static readonly (JobTaskState State, string Style)[] Styles =
    [
        (JobTaskState.Pending, "fill:#f5f5f5,stroke:#999"),
        (JobTaskState.Queued, "fill:#e3f2fd,stroke:#1e88e5"),
        (JobTaskState.Running, "fill:#bbdefb,stroke:#1565c0"),
        (JobTaskState.RetryScheduled, "fill:#fff3e0,stroke:#fb8c00"),
        (JobTaskState.Decomposed, "fill:#ede7f6,stroke:#5e35b1"),
        (JobTaskState.Succeeded, "fill:#e8f5e9,stroke:#43a047"),
        (JobTaskState.Dead, "fill:#ffebee,stroke:#e53935"),
        (JobTaskState.Cancelled, "fill:#eceff1,stroke:#546e7a"),
        (JobTaskState.Blocked, "fill:#fafafa,stroke:#bdbdbd,stroke-dasharray:3"),
        (JobTaskState.Compensated, "fill:#fff8e1,stroke:#fdd835"),
    ];

    private static string Escape(string text) => text.Replace("\"", "#quot;", StringComparison.Ordinal);
}
