namespace Weaver;

/// <summary>Reads the attempts and decisions of one task out of the engine's history of it.</summary>
internal static class AttemptHistory
{
    /// <summary>Each attempt of the task, oldest first; rejected writes of an attempt are part of what was observed of it.</summary>
    /// <param name="taskId">The id to put in the records (the job's task id).</param>
    /// <param name="task">The engine's task.</param>
    public static IReadOnlyList<AttemptRecord> Attempts(string taskId, TaskSnapshot task)
    {
        var attempts = new List<AttemptRecord>();
        foreach (var entry in task.History)
        {
            if (entry.Kind == TaskEventKind.AttemptStarted)
            {
                attempts.Add(new AttemptRecord(
                    taskId,
                    entry.Attempt,
                    entry.Owner ?? "",
                    entry.Epoch,
                    entry.At,
                    EndedAt: null,
                    $"Ran handler '{task.Kind}' as '{entry.Owner}' under lease epoch {entry.Epoch}.",
                    "Still running.",
                    AttemptOutcome.Running));
                continue;
            }

            var index = attempts.FindLastIndex(attempt => attempt.Number == entry.Attempt);
            if (index < 0)
            {
                continue;
            }

            var attempt = attempts[index];
            if (entry.Outcome is { } outcome && attempt.Outcome == AttemptOutcome.Running)
            {
                attempts[index] = attempt with { EndedAt = entry.At, Observation = entry.Detail, Outcome = outcome };
            }
            else if (entry.Kind == TaskEventKind.WriteRejected && entry.Epoch == attempt.Epoch)
            {
                attempts[index] = attempt with { Observation = $"{attempt.Observation} Later: {entry.Detail}" };
            }
        }

        return attempts;
    }

    /// <summary>The decisions in the engine's history of the task, oldest first.</summary>
    /// <param name="taskId">The id to put in the records (the job's task id).</param>
    /// <param name="task">The engine's task.</param>
    public static IEnumerable<DecisionRecord> Decisions(string taskId, TaskSnapshot task) =>
        task.History
            .Where(entry => entry.Decision is not null)
            .Select(entry => new DecisionRecord(entry.At, taskId, entry.Attempt, entry.Decision!));
}
