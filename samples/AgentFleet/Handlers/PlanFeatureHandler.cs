using AgentFleet.Agents;
using AgentFleet.Feature;
using Weaver;

namespace AgentFleet.Handlers;

/// <summary>The planning agent: reads the feature request and plans its subtasks (the decider turns them into job tasks).</summary>
[TaskHandler(PlanDecider.Kind)]
public sealed partial class PlanFeatureHandler : ITaskHandler<FeatureRequest, Plan>
{
    public async ValueTask<Plan> HandleAsync(FeatureRequest input, TaskContext context)
    {
        await Workbench.StepAsync(context, input.StepMilliseconds);
        var plan = Catalogue.PlanFor(input);
        var files = plan.Subtasks.SelectMany(s => s.Files).GroupBy(f => f, StringComparer.Ordinal).ToArray();
        var shared = files.Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        context.RecordDecision(
            "planner: one subtask per component the feature touches; a file two subtasks edit is locked by each in turn, never merged",
            $"'{input.Title}' touches {files.Length} files; shared: {(shared.Length == 0 ? "none" : string.Join(", ", shared))}",
            $"planned {plan.Subtasks.Count} subtasks: {string.Join(", ", plan.Subtasks.Select(s => s.Id))}");
        if (context.Artifacts.IsEnabled)
        {
            var lines = plan.Subtasks.Select(s =>
                $"- **{s.Id}**: {s.Title} (edits {string.Join(", ", s.Files)}{(s.DependsOn.Count > 0 ? $"; after {string.Join(", ", s.DependsOn)}" : "")})");
            await context.Artifacts.PutTextAsync("plan.md", $"# {input.Title}\n\n{string.Join('\n', lines)}\n", cancellationToken: context.CancellationToken);
        }

        return plan;
    }
}
