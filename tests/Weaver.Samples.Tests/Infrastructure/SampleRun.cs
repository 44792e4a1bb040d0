namespace Weaver.Samples.Tests.Infrastructure;

/// <summary>How one run of a sample ended: its exit code and what it wrote.</summary>
/// <param name="Command">The command line, for messages.</param>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="StandardOutput">Its stdout, one entry per line.</param>
/// <param name="StandardError">Its stderr, one entry per line.</param>
public sealed record SampleRun(string Command, int ExitCode, IReadOnlyList<string> StandardOutput, IReadOnlyList<string> StandardError)
{
    /// <summary>The whole run, for assertion messages.</summary>
    public string Describe() =>
        $"""
        $ {Command}
        exit code {ExitCode}
        --- stdout ---
        {string.Join(Environment.NewLine, StandardOutput)}
        --- stderr ---
        {string.Join(Environment.NewLine, StandardError)}
        """;

    /// <summary>Asserts that the sample exited with 0 and wrote nothing to stderr.</summary>
    public SampleRun AssertSucceeded()
    {
        Assert.True(ExitCode == 0 && StandardError.Count == 0, $"The sample should exit with 0 and write nothing to stderr.{Environment.NewLine}{Describe()}");
        return this;
    }

    /// <summary>The index of the first stdout line (trimmed) that starts with <paramref name="prefix"/>, at or after <paramref name="from"/>.</summary>
    public int IndexOf(string prefix, int from = 0)
    {
        for (var index = from; index < StandardOutput.Count; index++)
        {
            if (StandardOutput[index].TrimStart().StartsWith(prefix, StringComparison.Ordinal))
            {
                return index;
            }
        }

        return -1;
    }

    /// <summary>The first stdout line (trimmed) that starts with <paramref name="prefix"/>, at or after <paramref name="from"/>; fails the test when there is none.</summary>
    public string Line(string prefix, int from = 0)
    {
        var index = IndexOf(prefix, from);
        Assert.True(index >= 0, $"No line starts with '{prefix}' (from line {from}).{Environment.NewLine}{Describe()}");
        return StandardOutput[index].Trim();
    }
}
