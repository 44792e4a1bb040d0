namespace Weaver;

/// <summary>
/// Limits on a whole job. A limit left <see langword="null"/> does not apply. Each task's own <see cref="TaskBudget"/>
/// applies as well: reaching either ends the task, and reaching this one ends the job.
/// </summary>
public sealed record JobBudget
{
    /// <summary>No limits.</summary>
    public static JobBudget Unlimited { get; } = new();

    /// <summary>How many attempts all the job's tasks get together, every first attempt included. At least 1 when set.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>How long the job may take, counted from its submission until it ends. More than zero when set.</summary>
    public TimeSpan? Deadline { get; init; }

    /// <summary>The most all the job's attempts may cost together, as their handlers report it. 0 or more when set.</summary>
    public decimal? MaxCost { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> that names each wrong value and what is allowed.</summary>
    /// <returns>This budget, for chaining.</returns>
    /// <exception cref="ArgumentException">A limit is out of range.</exception>
    public JobBudget Validate()
    {
        var problems = Problems();
        return problems.Count == 0 ? this : throw new ArgumentException(string.Join("; ", problems) + ".");
    }

    /// <summary>What is wrong with this budget, one sentence per wrong value; empty when it is valid.</summary>
    internal List<string> Problems() =>
        BudgetRules.Problems("job budget", MaxAttempts, "the attempts of all the job's tasks together, every first attempt included", Deadline, MaxCost);
}
