namespace Weaver;

/// <summary>
/// Limits on one task of a job. A limit left <see langword="null"/> does not apply; the job's own
/// <see cref="JobBudget"/> still does, and so does the task's <see cref="RetryPolicy.MaxAttempts"/>: the task stops at
/// whichever limit it reaches first.
/// </summary>
public sealed record TaskBudget
{
    /// <summary>No limits.</summary>
    public static TaskBudget Unlimited { get; } = new();

    /// <summary>How many attempts the task gets in all, the first one included. At least 1 when set.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>
    /// How long the task may take, counted from when it is first queued (all its dependencies have succeeded) until it
    /// ends, retries and their waits included. More than zero when set.
    /// </summary>
    public TimeSpan? Deadline { get; init; }

    /// <summary>The most the task's attempts may cost in all, as their handlers report it. 0 or more when set.</summary>
    public decimal? MaxCost { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> that names each wrong value and what is allowed.</summary>
    /// <param name="taskId">The task this budget belongs to, for the message.</param>
    /// <returns>This budget, for chaining.</returns>
    /// <exception cref="ArgumentException">A limit is out of range.</exception>
    public TaskBudget Validate(string taskId)
    {
        var problems = Problems($"task '{taskId}'");
        return problems.Count == 0 ? this : throw new ArgumentException(string.Join("; ", problems) + ".");
    }

    /// <summary>What is wrong with this budget, one sentence per wrong value; empty when it is valid.</summary>
    /// <param name="task">How the messages name the task, such as <c>task 'a'</c>.</param>
    internal List<string> Problems(string task) =>
        BudgetRules.Problems($"{task} budget", MaxAttempts, "every attempt of the task, the first included", Deadline, MaxCost);
}
