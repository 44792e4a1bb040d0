using System.Globalization;

namespace Weaver.Stores.Tests.Postgres;

/// <summary>As root, commands really run as the unprivileged account, through runuser and through the su fallback.</summary>
public sealed class UserSwitchTests
{
    [RootFact]
    public async Task Runs_commands_as_an_unprivileged_account_through_either_tool()
    {
        var chosen = UserSwitch.ForCurrentProcess();
        Assert.NotNull(chosen);
        foreach (var tool in new[] { "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/su", "/bin/su" }.Where(File.Exists))
        {
            var runAs = chosen with { Tool = tool };
            var id = await ProcessRunner.RunCheckedAsync("/usr/bin/id", ["-u"], TimeSpan.FromSeconds(30), runAs);
            Assert.NotEqual(0, int.Parse(id.StandardOutput.Trim(), CultureInfo.InvariantCulture));

            // Arguments arrive whole, quotes and spaces included, whichever tool passes them on.
            var echo = await ProcessRunner.RunCheckedAsync("/bin/echo", ["it's a $HOME `test`", "two"], TimeSpan.FromSeconds(30), runAs);
            Assert.Equal("it's a $HOME `test` two", echo.StandardOutput.Trim());
        }
    }

    [Fact]
    public async Task A_failing_command_reports_its_output_and_exit_code()
    {
        var error = await Assert.ThrowsAsync<PostgresClusterException>(
            () => ProcessRunner.RunCheckedAsync("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"], TimeSpan.FromSeconds(30)));
        Assert.Contains("exited with code 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("--- stdout ---\nout", error.Message, StringComparison.Ordinal);
        Assert.Contains("--- stderr ---\nerr", error.Message, StringComparison.Ordinal);

        var missing = await Assert.ThrowsAsync<PostgresClusterException>(
            () => ProcessRunner.RunAsync("/nonexistent/initdb", [], TimeSpan.FromSeconds(30)));
        Assert.Contains("/nonexistent/initdb", missing.Message, StringComparison.Ordinal);
    }

    /// <summary>A fact that only means something when the tests run as root.</summary>
    private sealed class RootFactAttribute : FactAttribute
    {
        public override string? Skip
        {
            get => base.Skip ?? (Unix.IsRoot() ? null : "Not running as root: commands run as the current user, no switch is needed.");
            set => base.Skip = value;
        }
    }
}
