namespace AgentFleet.Feature;

/// <summary>
/// The subtasks the planner picks from, in plan order. Several edit the same file (<c>src/Api/Routes.cs</c>,
/// <c>db/schema.sql</c>), so the agents that run them wait for each other's locks. One, <c>billing</c>, can never be done:
/// the payment sandbox refuses it every time, so it fails for good and the saga undoes what the others committed.
/// </summary>
public static class Catalogue
{
    /// <summary>The fewest subtasks a plan has: enough for a lock conflict, the failure and work to undo.</summary>
    public const int MinSubtasks = 3;

    /// <summary>The id of the subtask that always fails.</summary>
    public const string FailingSubtask = "billing";

    /// <summary>Whether a job task id (<c>plan/billing</c>) names the subtask that always fails.</summary>
    /// <param name="jobTaskId">The task's id within its job.</param>
    /// <returns>True for the failing subtask.</returns>
    public static bool IsFailing(string jobTaskId) => jobTaskId.EndsWith("/" + FailingSubtask, StringComparison.Ordinal);

    private static readonly Entry[] Entries =
    [
        new("schema", "Add the workspace tables", ["db/schema.sql", "src/Data/Workspace.cs"], [], 3),
        new("api", "Workspace endpoints", ["src/Api/Routes.cs", "src/Api/WorkspaceController.cs"], ["schema"], 4),
        new(FailingSubtask, "Bill each workspace", ["src/Billing/Invoice.cs", "db/schema.sql"], ["schema"], 2,
            "the payment sandbox rejects invoices without a customer id, and workspaces have none"),
        new("flags", "Feature flag", ["config/flags.json", "src/Api/Routes.cs"], [], 3),
        new("ui", "Workspace switcher", ["web/src/Switcher.tsx", "web/src/routes.ts"], [], 4),
        new("auth", "Workspace roles", ["src/Auth/Policies.cs", "src/Api/Routes.cs"], ["schema"], 3),
        new("docs", "Document workspaces", ["docs/workspaces.md", "README.md"], ["api"], 2),
        new("telemetry", "Workspace events", ["src/Telemetry/Events.cs", "web/src/routes.ts"], ["ui"], 3),
        new("backfill", "Backfill existing teams", ["db/migrations/0042_backfill.sql", "db/schema.sql"], ["schema"], 3),
        new("tests", "Integration tests", ["tests/WorkspaceTests.cs"], ["api", "auth"], 4),
    ];

    /// <summary>The most subtasks a plan has: the whole catalogue.</summary>
    public static int MaxSubtasks => Entries.Length;

    /// <summary>The first <see cref="FeatureRequest.Subtasks"/> entries, with dependencies on entries left out dropped.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The request asks for fewer than <see cref="MinSubtasks"/> or more than <see cref="MaxSubtasks"/>.</exception>
    public static Plan PlanFor(FeatureRequest request)
    {
        if (request.Subtasks < MinSubtasks || request.Subtasks > MaxSubtasks)
        {
            throw new ArgumentOutOfRangeException(
                nameof(request), request.Subtasks, $"A plan has from {MinSubtasks} to {MaxSubtasks} subtasks; {request.Subtasks} were asked for.");
        }

        var picked = Entries.Take(request.Subtasks).ToArray();
        var ids = picked.Select(entry => entry.Id).ToHashSet(StringComparer.Ordinal);
        return new Plan(
            request.Title,
            [.. picked.Select(entry => new Subtask(
                entry.Id,
                entry.Title,
                entry.Files,
                [.. entry.DependsOn.Where(ids.Contains)],
                entry.Steps,
                request.StepMilliseconds,
                entry.Blocker))]);
    }

    private sealed record Entry(string Id, string Title, string[] Files, string[] DependsOn, int Steps, string? Blocker = null);
}
