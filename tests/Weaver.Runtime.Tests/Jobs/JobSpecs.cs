namespace Weaver.Runtime.Tests.Jobs;

/// <summary>Short ways to write job specs in tests.</summary>
internal static class JobSpecs
{
    public const string CyclePrefix = "dependency cycle: ";
    public const string CycleSuffix = " (each task depends on the next)";

    public static JobTaskSpec Task(string id, params string[] dependsOn) => new(id, "work", null) { DependsOn = dependsOn };

    public static JobSpec Job(params JobTaskSpec[] tasks) => new(tasks);

    /// <summary>Builds <paramref name="spec"/>, which must be rejected, and returns the problems reported.</summary>
    public static IReadOnlyList<string> ProblemsOf(JobSpec spec) => Assert.Throws<InvalidJobSpecException>(() => JobGraph.Build(spec)).Problems;

    /// <summary>The task ids of a cycle problem, such as <c>[a, b, a]</c>, or null when the problem is not a cycle.</summary>
    public static string[]? CycleOf(string problem) =>
        problem.StartsWith(CyclePrefix, StringComparison.Ordinal) && problem.EndsWith(CycleSuffix, StringComparison.Ordinal)
            ? problem[CyclePrefix.Length..^CycleSuffix.Length].Split(" -> ")
            : null;
}
