using System.Text.Json;
using Weaver;

namespace AgentFleet.Feature;

/// <summary>
/// Splits a planned feature into its subtasks: each becomes a job task that locks the files it edits, waits for the
/// subtasks it depends on, is retried by <see cref="Retry"/>, and is undone by <c>revert-change</c> if the saga fails.
/// </summary>
public sealed class PlanDecider(RetryPolicy retry) : IDecider
{
    /// <summary>The kind of the task this decider splits.</summary>
    public const string Kind = "plan-feature";

    /// <summary>How each subtask is retried.</summary>
    public RetryPolicy Retry { get; } = retry;

    /// <inheritdoc />
    public IReadOnlyList<JobTaskSpec> Decide(JobTaskSpec task, object? result)
    {
        // A store-backed coordinator hands the result over as it was stored, JSON; the in-memory one as the object.
        var plan = result switch
        {
            Plan planned => planned,
            JsonElement json => json.Deserialize<Plan>(JsonSerializerOptions.Web),
            _ => null,
        } ?? throw new InvalidOperationException($"Task '{task.Id}' produced no plan (its result is {result?.GetType().Name ?? "null"}).");

        return [.. plan.Subtasks.Select(subtask => new JobTaskSpec(subtask.Id, EditFilesKind, subtask)
        {
            DependsOn = subtask.DependsOn,
            Resources = subtask.Files,
            Retry = subtask.Blocker is null ? Retry : Retry with { MaxAttempts = 2 },
            Compensation = new CompensationSpec(RevertKind) { Retry = Retry },
        })];
    }

    /// <summary>The kind of the subtasks' handler.</summary>
    public const string EditFilesKind = "edit-files";

    /// <summary>The kind of the compensation that undoes a subtask.</summary>
    public const string RevertKind = "revert-change";
}
