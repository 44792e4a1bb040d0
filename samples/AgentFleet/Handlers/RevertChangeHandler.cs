using AgentFleet.Agents;
using AgentFleet.Feature;
using Weaver;

namespace AgentFleet.Handlers;

/// <summary>The saga's compensation: reverts the commit a subtask made. Safe to run more than once.</summary>
[TaskHandler(PlanDecider.RevertKind)]
public sealed partial class RevertChangeHandler : ITaskHandler<EditResult, string>
{
    public async ValueTask<string> HandleAsync(EditResult input, TaskContext context)
    {
        await Workbench.StepAsync(context, 50);
        if (context.Artifacts.IsEnabled)
        {
            await context.Artifacts.PutTextAsync(
                "revert.diff",
                string.Concat(input.Files.Select(file => $"revert {input.Commit} in {file}\n")),
                cancellationToken: context.CancellationToken);
        }

        return $"reverted {input.Commit} ({input.Subtask}, committed by {input.Agent})";
    }
}
