using System.Globalization;
using System.Text;

namespace Weaver;

/// <summary>Writes a <see cref="JobExplanation"/> out as text.</summary>
internal static class ExplanationText
{
    public static string Write(JobExplanation explanation)
    {
        var text = new StringBuilder();
        text.AppendLine(explanation.Summary);

        text.AppendLine().AppendLine("Tasks");
        foreach (var task in explanation.Tasks)
        {
            var error = task.Error is null ? "" : $": {task.Error}";
            text.AppendLine(CultureInfo.InvariantCulture, $"  {task.TaskId} ({task.Kind}): {Lower(task.State)}{error}");
            WriteAttempts(text, "attempt", task.Attempts);
            WriteAttempts(text, "compensation attempt", task.CompensationAttempts);
        }

        if (explanation.Decisions.Count > 0)
        {
            text.AppendLine().AppendLine("Decisions");
            foreach (var decision in explanation.Decisions)
            {
                var about = decision.TaskId is null ? "job" : decision.Attempt > 0 ? $"{decision.TaskId}, attempt {decision.Attempt}" : decision.TaskId;
                text.AppendLine(CultureInfo.InvariantCulture, $"  {Time(decision.At)} [{about}] {decision.Decision.Change}");
                text.AppendLine(CultureInfo.InvariantCulture, $"      evidence: {decision.Decision.Evidence}");
                text.AppendLine(CultureInfo.InvariantCulture, $"      policy: {decision.Decision.Policy}");
            }
        }

        if (explanation.Compensations.Count > 0)
        {
            text.AppendLine().AppendLine("Compensations (last step first)");
            var number = 0;
            foreach (var compensation in explanation.Compensations)
            {
                var error = compensation.Error is null ? "" : $": {compensation.Error}";
                text.AppendLine(CultureInfo.InvariantCulture, $"  {++number}. {compensation.TaskId} undone by {compensation.Kind}: {Lower(compensation.State)} after {compensation.Attempts} attempt(s){error}");
            }
        }

        if (explanation.Audit.Count > 0)
        {
            text.AppendLine().AppendLine("Audit notes");
            foreach (var note in explanation.Audit)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {Time(note.At)} {note.Key} = {note.Value}");
            }
        }

        return text.ToString();
    }

    private static void WriteAttempts(StringBuilder text, string label, IReadOnlyList<AttemptRecord> attempts)
    {
        foreach (var attempt in attempts)
        {
            var ended = attempt.EndedAt is { } at ? $" to {Time(at)}" : "";
            text.AppendLine(CultureInfo.InvariantCulture, $"    {label} {attempt.Number}, {Time(attempt.StartedAt)}{ended}: {Lower(attempt.Outcome)}");
            text.AppendLine(CultureInfo.InvariantCulture, $"      action: {attempt.Action}");
            text.AppendLine(CultureInfo.InvariantCulture, $"      observed: {attempt.Observation}");
        }
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Lower<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();
}
