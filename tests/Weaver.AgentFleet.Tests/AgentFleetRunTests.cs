using Weaver.Sqlite;

namespace Weaver.AgentFleet.Tests;

/// <summary>
/// AgentFleet runs to completion on a small setting, on memory, on SQLite, and with its agents in worker processes, and
/// its report shows what the issue asks: a decomposed job whose subtasks locked files, agents crashed and paused for
/// real, their tasks reclaimed at a higher epoch, zombie writes rejected, one subtask failed for good and the saga
/// compensated, with the explanation, the artifacts and the machines' Mermaid graphs. Interrupted and run again, it
/// resumes the job without running a committed task again.
/// </summary>
public sealed class AgentFleetRunTests : IDisposable
{
    private static readonly string[] Small = ["--agents", "3", "--subtasks", "4"];
    private static readonly string[] Subtasks = ["plan/schema", "plan/api", "plan/billing", "plan/flags"];
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("weaver-agentfleet-test-");

    public void Dispose() => _data.Delete(recursive: true);

    [Fact]
    public async Task Runs_to_completion_in_memory_and_reports_the_failed_compensated_job()
    {
        var (exit, run) = await FleetProcess.RunAsync([.. Small, "--store", "memory", "--data", _data.FullName]);
        using (run)
        {
            Assert.True(exit == 0, $"exit code {exit}{run.Describe()}");
            AssertFullReport(FleetReportText.Read(run), run);
        }
    }

    [Fact]
    public async Task Runs_to_completion_on_sqlite_by_default_and_reports_the_failed_compensated_job()
    {
        var (exit, run) = await FleetProcess.RunAsync([.. Small, "--data", _data.FullName]);
        using (run)
        {
            Assert.True(exit == 0, $"exit code {exit}{run.Describe()}");
            Assert.Contains($"on SQLite file {Path.Combine(_data.FullName, "agentfleet.db")}", run.Lines[0], StringComparison.Ordinal);
            AssertFullReport(FleetReportText.Read(run), run);
        }
    }

    [Fact]
    public async Task Runs_its_agents_as_worker_processes_on_sqlite_and_kills_one_mid_task()
    {
        var (exit, run) = await FleetProcess.RunAsync("--processes", "2", "--subtasks", "4", "--data", _data.FullName);
        using (run)
        {
            Assert.True(exit == 0, $"exit code {exit}{run.Describe()}");
            Assert.Contains("2 agents in 2 worker processes", run.Lines[0], StringComparison.Ordinal);
            Assert.Contains(run.Lines, line => line.Contains("crash: agent-", StringComparison.Ordinal) && line.Contains("(pid ", StringComparison.Ordinal));
            AssertFullReport(FleetReportText.Read(run), run);
        }
    }

    [Fact]
    public async Task Interrupted_then_run_again_it_resumes_the_job_without_running_committed_tasks_again()
    {
        string[] arguments = [.. Small, "--data", _data.FullName, "--crashes", "0", "--pauses", "0"];
        Dictionary<string, int> committed;
        using (var first = FleetProcess.Start(arguments))
        {
            await first.WaitForLineAsync(line => line.Contains(": running -> succeeded", StringComparison.Ordinal) && line.Contains("task plan/", StringComparison.Ordinal), TimeSpan.FromSeconds(120));
            await first.KillAsync();
            committed = await AttemptsOfSucceededTasksAsync();
            Assert.True(committed.Count > 0, $"No subtask had committed when the run was killed.{first.Describe()}");
            Assert.DoesNotContain(first.Lines, line => line.StartsWith("AgentFleet: job", StringComparison.Ordinal));
        }

        var (exit, second) = await FleetProcess.RunAsync(arguments);
        using (second)
        {
            Assert.True(exit == 0, $"exit code {exit}{second.Describe()}");
            Assert.Contains(second.Lines, line => line.StartsWith("Resumed job feature-1 (run 2)", StringComparison.Ordinal));
            var report = FleetReportText.Read(second);
            Assert.Equal(("feature-1", "Failed", "Compensated"), (report.Job, report.State, report.Saga));
            Assert.Contains("All checks passed.", second.Lines);
            var after = await AttemptsOfSucceededTasksAsync();
            foreach (var (task, attempts) in committed)
            {
                Assert.True(after.TryGetValue(task, out var now) && now == attempts, $"Task '{task}' had {attempts} attempt(s) when it committed, and {now} after the resumed run.{second.Describe()}");
            }

            Assert.Contains("run = run 2", report.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new[] { "--store", "postgres" }, "WEAVER_AGENTFLEET_POSTGRES")]
    [InlineData(new[] { "--store", "memory", "--processes", "2" }, "--processes needs a store that processes share")]
    [InlineData(new[] { "--subtasks", "99" }, "--subtasks must be a whole number from 3 to 10")]
    [InlineData(new[] { "--agents", "1" }, "--crashes and --pauses need at least 2 agents")]
    [InlineData(new[] { "--stor", "sqlite" }, "Unknown argument '--stor'")]
    public async Task Bad_arguments_say_what_is_wrong_and_what_is_allowed(string[] arguments, string message)
    {
        var (exit, run) = await FleetProcess.RunAsync([.. arguments, "--data", _data.FullName]);
        using (run)
        {
            Assert.Equal(2, exit);
            Assert.Contains(message, run.Errors, StringComparison.Ordinal);
            Assert.Contains("Usage: AgentFleet", run.Errors, StringComparison.Ordinal);
        }
    }

    private static void AssertFullReport(FleetReportText report, FleetProcess run)
    {
        var because = run.Describe();
        Assert.True(run.Lines.Count >= 2 && run.Lines[^2] == "All checks passed.", $"The sample's own checks did not all pass.{because}");
        Assert.True(report.Job == "feature-1" && report.State == "Failed" && report.Saga == "Compensated", $"job {report.Job} {report.State} (saga {report.Saga}){because}");
        Assert.True(report.Crashes == 1 && report.Pauses == 1, $"{report.Crashes} crash(es) and {report.Pauses} pause(s), not one each{because}");

        // Each incident's attempt went stale and was taken back; the paused agent woke up as a zombie and was refused.
        Assert.True(report.Reclaims >= 2, $"{report.Reclaims} reclaim(s){because}");
        Assert.True(report.RejectedWrites >= 1, $"{report.RejectedWrites} rejected write(s){because}");
        Assert.Contains(run.Lines, line => line.Contains("reclaim: 'plan/", StringComparison.Ordinal) && line.Contains(" at epoch ", StringComparison.Ordinal));

        // The attempts per task, the explanation of the failure and the compensation, the artifacts, the machines.
        foreach (var task in Subtasks)
        {
            Assert.Contains(run.Lines, line => line.StartsWith($"│ {task} ", StringComparison.Ordinal));
        }

        Assert.Contains("Job 'feature-1' failed (saga compensated)", report.Output, StringComparison.Ordinal);
        Assert.Contains("'billing' cannot be done", report.Output, StringComparison.Ordinal);
        Assert.Contains("Compensations (last step first)", report.Output, StringComparison.Ordinal);
        Assert.True(report.Artifacts > 0, $"no artifacts{because}");
        Assert.Contains(run.Lines, line => line.StartsWith("│ plan.md ", StringComparison.Ordinal));
        Assert.Contains(run.Lines, line => line.StartsWith("│ patch.diff ", StringComparison.Ordinal));
        Assert.Contains(run.Lines, line => line.StartsWith("│ revert.diff ", StringComparison.Ordinal));
        foreach (var machine in new[] { "job feature-1", "TaskLifecycle", "JobLifecycle", "SagaLifecycle", "AgentSession" })
        {
            Assert.Contains($"%% {machine}", run.Lines);
        }

        Assert.Equal(4, run.Lines.Count(line => line == "stateDiagram-v2"));
        Assert.Contains("flowchart TD", run.Lines);
    }

    /// <summary>
    /// The job's subtasks whose commit the store accepted, with how many attempts they started, read from the SQLite file.
    /// A compensated subtask keeps its Succeeded row: its compensation is a task of its own.
    /// </summary>
    private async Task<Dictionary<string, int>> AttemptsOfSucceededTasksAsync()
    {
        await using var store = await SqliteWeaverStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(_data.FullName, "agentfleet.db") });
        var tasks = await store.ListTasksAsync(TaskLifecycle.State.Succeeded);
        var attempts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var task in tasks.Where(t => t.Job is not null && t.Id.StartsWith("feature-1/plan/", StringComparison.Ordinal)))
        {
            var history = await store.GetHistoryAsync(task.Id);
            attempts[task.Id] = history.Count(e => e.Kind == TaskEventKind.AttemptStarted);
        }

        return attempts;
    }
}
