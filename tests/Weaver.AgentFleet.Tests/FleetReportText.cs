using System.Globalization;
using System.Text.RegularExpressions;

namespace Weaver.AgentFleet.Tests;

/// <summary>What an AgentFleet run's report says, read from its output.</summary>
internal sealed partial record FleetReportText(
    string Job,
    string State,
    string Saga,
    int Crashes,
    int Pauses,
    int Reclaims,
    int RejectedWrites,
    int Artifacts,
    string Output)
{
    /// <summary>Reads the report; fails the test, showing the output, when a line it must have is missing.</summary>
    /// <param name="run">The ended run.</param>
    /// <returns>The report.</returns>
    public static FleetReportText Read(FleetProcess run)
    {
        var output = run.Output;
        var last = run.Lines.LastOrDefault() ?? "";
        var final = FinalLine().Match(last);
        Assert.True(final.Success, $"The last line is not the report's final line: '{last}'.{run.Describe()}");
        var incidents = Single(run, ThisRun());
        return new FleetReportText(
            final.Groups["job"].Value,
            final.Groups["state"].Value,
            final.Groups["saga"].Value,
            Number(incidents.Groups["crashes"]),
            Number(incidents.Groups["pauses"]),
            Number(Single(run, ReclaimsLine()).Groups["n"]),
            Number(Single(run, RejectedLine()).Groups["n"]),
            Number(Single(run, ArtifactsLine()).Groups["n"]),
            output);
    }

    private static Match Single(FleetProcess run, Regex line)
    {
        var matches = run.Lines.Select(l => line.Match(l)).Where(m => m.Success).ToArray();
        Assert.True(matches.Length == 1, $"Expected one line matching {line}; found {matches.Length}.{run.Describe()}");
        return matches[0];
    }

    private static int Number(Group group) => int.Parse(group.Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^AgentFleet: job (?<job>\S+) (?<state>\w+) \(saga (?<saga>\w+)\) in \d+\.\d s$")]
    private static partial Regex FinalLine();

    [GeneratedRegex(@"^This run: (?<crashes>\d+) crash\(es\), (?<pauses>\d+) pause\(s\);")]
    private static partial Regex ThisRun();

    [GeneratedRegex(@"^Reclaims: (?<n>\d+)$")]
    private static partial Regex ReclaimsLine();

    [GeneratedRegex(@"^Rejected zombie writes: (?<n>\d+)$")]
    private static partial Regex RejectedLine();

    [GeneratedRegex(@"^Artifacts: (?<n>\d+)$")]
    private static partial Regex ArtifactsLine();
}
