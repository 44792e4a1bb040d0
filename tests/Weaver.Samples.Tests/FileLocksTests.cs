using System.Globalization;
using System.Text.RegularExpressions;
using Weaver.Samples.Tests.Infrastructure;

namespace Weaver.Samples.Tests;

public sealed class FileLocksRun() : SampleRunFixture("FileLocks");

/// <summary>
/// Checks FileLocks from what it printed, apart from its own checks: the "Who held each file" table is read back and
/// judged here.
/// </summary>
[Collection(SampleCollection.Name)]
public sealed partial class FileLocksTests(FileLocksRun sample) : IClassFixture<FileLocksRun>
{
    private const string Frozen = "laptop-7";
    private readonly SampleRun _run = sample.Run;

    [Fact]
    public void It_exits_with_0_once_its_own_checks_pass()
    {
        _run.AssertSucceeded();
        Assert.Equal("All checks passed.", _run.StandardOutput[^1]);
    }

    [Fact]
    public void Tasks_that_share_a_file_held_it_one_after_the_other_under_growing_epochs()
    {
        var holdings = Holdings();
        foreach (var file in new[] { "src/Session.cs", "src/Api.cs" })
        {
            var holders = holdings.Where(h => h.File == file).ToArray();
            Assert.True(holders.Length >= 2, $"{file} should have several holders.{Environment.NewLine}{_run.Describe()}");
            foreach (var (before, after) in holders.Zip(holders.Skip(1)))
            {
                Assert.True(before.Until <= after.From && before.Epoch < after.Epoch, $"{before} and {after} overlap.{Environment.NewLine}{_run.Describe()}");
            }
        }

        Assert.Equal(["fix-login", "session-timeout"], holdings.Where(h => h.File == "src/Session.cs").Select(h => h.Task).Order(StringComparer.Ordinal));
        Assert.StartsWith("Serialized: src/Session.cs:", _run.Line("Serialized: src/Session.cs:"));
    }

    [Fact]
    public void Tasks_with_disjoint_files_held_them_at_the_same_time()
    {
        var live = Holdings().Where(h => h.Owner != Frozen).ToArray();
        var overlapping = live.SelectMany(a => live.Where(b => a.Task != b.Task && a.File != b.File && a.From < b.Until && b.From < a.Until));
        Assert.NotEmpty(overlapping);
        Assert.Matches(@"^In parallel: \S+ and \S+ edited disjoint files at the same time\.$", _run.Line("In parallel:"));
    }

    [Fact]
    public void The_frozen_agent_lost_its_locks_and_the_task_waiting_for_one_went_ahead()
    {
        var api = Holdings().Where(h => h.File == "src/Api.cs").ToArray();
        Assert.Equal(("rename-user-id", Frozen, true), (api[0].Task, api[0].Owner, api[0].Lost));
        Assert.Contains(api.Skip(1), h => h.Task == "add-api-docs");
        Assert.All(api.Skip(1), h => Assert.False(h.Lost));

        var timeline = _run.StandardOutput.ToList();
        var lost = timeline.FindIndex(line => line.Contains($"{Frozen}   rename-user-id   LOST its locks on src/Api.cs, src/User.cs", StringComparison.Ordinal));
        var docsLocks = timeline.FindIndex(line => line.Contains("add-api-docs     locks ", StringComparison.Ordinal));
        Assert.True(lost >= 0 && docsLocks > lost, $"The timeline should show {Frozen} losing its locks before add-api-docs locks src/Api.cs.{Environment.NewLine}{_run.Describe()}");
        Assert.StartsWith($"Lost: {Frozen} stopped heartbeating", _run.Line("Lost:"));
    }

    [Fact]
    public void The_frozen_agents_task_was_taken_back_and_finished_by_another_agent_under_a_higher_epoch()
    {
        var reclaimed = ReclaimedLine().Match(_run.Line("Reclaimed:"));
        Assert.True(reclaimed.Success, _run.Describe());
        var (from, epoch, finisher, finalEpoch) = (reclaimed.Groups[1].Value, Number(reclaimed.Groups[2].Value), reclaimed.Groups[3].Value, Number(reclaimed.Groups[4].Value));
        Assert.Equal(Frozen, from);
        Assert.NotEqual(Frozen, finisher);
        Assert.True(finalEpoch > epoch, $"The finishing attempt's epoch {finalEpoch} should be above the frozen one's {epoch}.");
    }

    [Fact]
    public void The_zombies_late_save_and_commit_were_rejected()
    {
        var save = RejectedSaveLine().Match(_run.Line($"Rejected: {Frozen}'s late save:"));
        Assert.True(save.Success, _run.Describe());
        Assert.True(Number(save.Groups[2].Value) > Number(save.Groups[3].Value), "The file's newest epoch should be above the zombie's.");

        Assert.Equal(
            $"Rejected: {Frozen}'s late commit: The commit of attempt 1 from '{Frozen}' (epoch 1) was rejected: it no longer holds the lease.",
            _run.Line($"Rejected: {Frozen}'s late commit:"));

        // Only the accepted edits are in the file: the rename once (by the agent that finished it) and the docs.
        var api = _run.Line("src/Api.cs:", _run.IndexOf("Repository after all edits"));
        Assert.Equal(1, Regex.Count(api, "rename UserId to AccountId"));
        Assert.Equal(1, Regex.Count(api, "document the API"));
    }

    /// <summary>The "Who held each file" table, read back.</summary>
    private List<Holding> Holdings()
    {
        var holdings = new List<Holding>();
        string? file = null;
        for (var index = _run.IndexOf("Who held each file") + 1; index > 0 && index < _run.StandardOutput.Count && _run.StandardOutput[index].Length > 0; index++)
        {
            var line = _run.StandardOutput[index];
            if (HoldingLine().Match(line) is { Success: true } holding)
            {
                holdings.Add(new Holding(
                    file!,
                    holding.Groups[3].Value,
                    holding.Groups[4].Value,
                    Number(holding.Groups[5].Value),
                    Number(holding.Groups[1].Value),
                    holding.Groups[2].Value == "(held)" ? long.MaxValue : Number(holding.Groups[2].Value),
                    holding.Groups[6].Success));
            }
            else
            {
                file = line.Trim();
            }
        }

        Assert.True(holdings.Count > 0, $"No 'Who held each file' table was found.{Environment.NewLine}{_run.Describe()}");
        return holdings;
    }

    private static long Number(string text) => long.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\s+(\d+) \.\. (\d+|\(held\))\s+(\S+)\s+on (\S+)\s+lock epoch (\d+)(\s+lost: (?:went stale|task taken back))?$")]
    private static partial Regex HoldingLine();

    [GeneratedRegex(@"^Reclaimed: rename-user-id was taken back from (\S+) \(lease epoch (\d+)\) and finished by (\S+) under lease epoch (\d+)\.$")]
    private static partial Regex ReclaimedLine();

    [GeneratedRegex(@"^Rejected: \S+'s late save: (\S+) was already written under lock epoch (\d+); .* under epoch (\d+), a lock it no longer holds\.$")]
    private static partial Regex RejectedSaveLine();

    /// <param name="Lost">Whether the hold ended because its holder stopped heartbeating.</param>
    private sealed record Holding(string File, string Task, string Owner, long Epoch, long From, long Until, bool Lost);
}
