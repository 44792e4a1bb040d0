using System.Security.Cryptography;
using System.Text;
using AgentFleet.Agents;
using AgentFleet.Feature;
using Weaver;

namespace AgentFleet.Handlers;

/// <summary>
/// A coding agent working one subtask: it edits the subtask's files step by step (holding their locks, heartbeating its
/// lease), writes its transcript and patch as artifacts, and commits. A subtask with a blocker fails on every attempt.
/// </summary>
[TaskHandler(PlanDecider.EditFilesKind)]
public sealed partial class EditFilesHandler : ITaskHandler<Subtask, EditResult>
{
    public async ValueTask<EditResult> HandleAsync(Subtask input, TaskContext context)
    {
        var transcript = new StringBuilder();
        transcript.AppendLine($"{context.Lease.Owner} works on '{input.Id}' ({input.Title}), attempt {context.Attempt}, lease epoch {context.Lease.Epoch}");
        for (var step = 1; step <= input.Steps; step++)
        {
            await Workbench.StepAsync(context, input.StepMilliseconds);
            transcript.AppendLine($"step {step}/{input.Steps}: edited {input.Files[(step - 1) % input.Files.Count]}");
        }

        if (input.Blocker is { } blocker)
        {
            if (context.Artifacts.IsEnabled)
            {
                await context.Artifacts.WriteStderrAsync($"{transcript}tests failed: {blocker}\n", context.CancellationToken);
            }

            throw new InvalidOperationException($"'{input.Id}' cannot be done: {blocker}.");
        }

        var commit = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{input.Id}:{context.Lease.Epoch}")))[..10];
        if (context.Artifacts.IsEnabled)
        {
            await context.Artifacts.WriteStdoutAsync($"{transcript}committed {commit}\n", context.CancellationToken);
            var patch = string.Concat(input.Files.Select(file => $"--- a/{file}\n+++ b/{file}\n@@ -1 +1,2 @@\n+// {input.Title} ({commit})\n"));
            await context.Artifacts.PutTextAsync("patch.diff", patch, cancellationToken: context.CancellationToken);
        }

        return new EditResult(input.Id, commit, input.Files, context.Lease.Owner);
    }
}
