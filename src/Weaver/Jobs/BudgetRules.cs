using System.Globalization;

namespace Weaver;

/// <summary>The rules <see cref="TaskBudget"/> and <see cref="JobBudget"/> share, worded the same way for both.</summary>
internal static class BudgetRules
{
    public static List<string> Problems(string owner, int? maxAttempts, string attemptsCount, TimeSpan? deadline, decimal? maxCost)
    {
        var problems = new List<string>();
        if (maxAttempts < 1)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{owner}: MaxAttempts must be at least 1 (it counts {attemptsCount}) or null for no limit; it is {maxAttempts}"));
        }

        if (deadline <= TimeSpan.Zero)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{owner}: Deadline must be more than zero or null for no limit; it is {deadline}"));
        }

        if (maxCost < 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{owner}: MaxCost must be 0 or more or null for no limit; it is {maxCost}"));
        }

        return problems;
    }
}
