namespace Weaver;

/// <summary>
/// A <see cref="JobSpec"/> that <see cref="JobGraph.Build"/> rejected. It carries every problem found, not only the
/// first, so that one round of fixes is enough.
/// </summary>
public sealed class InvalidJobSpecException : ArgumentException
{
    /// <summary>What every valid spec satisfies; appended to the message.</summary>
    internal const string Rules =
        "A job needs at least one task; each task needs an id that is not blank and is unique within the job, and a kind "
        + "that is not blank; a task may depend only on other tasks of the same job, each listed once, with no cycles; "
        + "budgets allow attempts of at least 1, deadlines of more than zero and costs of 0 or more.";

    /// <summary>Creates the exception for the problems found.</summary>
    /// <param name="problems">Every problem found, in the order they were found; at least one.</param>
    public InvalidJobSpecException(IReadOnlyList<string> problems)
        : base(Describe(problems), "spec")
    {
        Problems = problems.ToArray().AsReadOnly();
    }

    /// <summary>Every problem found, one sentence each, such as <c>task id 'a' is used 2 times</c>.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Describe(IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (problems.Count == 0)
        {
            throw new ArgumentException("An invalid job spec has at least one problem.", nameof(problems));
        }

        var heading = problems.Count == 1 ? "The job spec has 1 problem:" : $"The job spec has {problems.Count} problems:";
        return $"{heading}\n- {string.Join("\n- ", problems)}\n{Rules}";
    }
}
