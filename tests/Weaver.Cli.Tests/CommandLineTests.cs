namespace Weaver.Cli.Tests;

/// <summary>
/// How the command line is read: usage errors exit 2 with their message before any store is touched, the environment
/// names the store unless an option does, an empty store answers every list with exit 0, and every command has help.
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("No store given: pass --sqlite PATH", new[] { "jobs" })]
    [InlineData("Both --sqlite and --postgres were given", new[] { "jobs", "--sqlite", "a.db", "--postgres", "Host=db" })]
    [InlineData("--schema names a PostgreSQL schema; it does not apply to a SQLite store", new[] { "leases", "--sqlite", "a.db", "--schema", "ops" })]
    [InlineData("Schema must be a lowercase PostgreSQL identifier", new[] { "leases", "--postgres", "Host=db", "--schema", "Ops-Team" })]
    [InlineData("--sqlite was given an empty value", new[] { "jobs", "--sqlite", "" })]
    [InlineData("JOB is empty", new[] { "status", " ", "--sqlite", "a.db" })]
    [InlineData("Required argument missing for command: 'status'", new[] { "status", "--sqlite", "a.db" })]
    [InlineData("Run 'weaver status --help' for usage.", new[] { "status", "--sqlite", "a.db" })]
    [InlineData("Unrecognized command or argument 'stats'", new[] { "stats", "build-42" })]
    [InlineData("Unrecognized command or argument '--machine'", new[] { "graph", "build-42", "--machine", "Review" })]
    [InlineData("Required argument missing for option: '--sqlite'", new[] { "jobs", "--sqlite" })]
    [InlineData("Required command was not provided", new string[0])]
    public async Task A_usage_error_exits_2_with_its_message(string message, string[] arguments)
    {
        var run = await WeaverCli.RunAsync(arguments);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task The_environment_names_the_store_and_the_command_line_wins_over_it()
    {
        var path = await _temp.EmptyStoreAsync();
        var fromEnvironment = await WeaverCli.RunAsync(["jobs"], new Dictionary<string, string> { ["WEAVER_SQLITE"] = path });
        var optionWins = await WeaverCli.RunAsync(["jobs", "--sqlite", path], new Dictionary<string, string> { ["WEAVER_POSTGRES"] = "Host=nowhere" });
        var both = await WeaverCli.RunAsync(["jobs"], new Dictionary<string, string> { ["WEAVER_SQLITE"] = path, ["WEAVER_POSTGRES"] = "Host=nowhere" });

        Assert.True(fromEnvironment.ExitCode == 0, fromEnvironment.ToString());
        Assert.Contains($"No jobs in the SQLite store '{path}'.", fromEnvironment.Out, StringComparison.Ordinal);
        Assert.True(optionWins.ExitCode == 0, optionWins.ToString());
        Assert.True(both.ExitCode == 2, both.ToString());
        Assert.Contains("Both WEAVER_SQLITE and WEAVER_POSTGRES are set", both.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_store_answers_every_list_with_nothing_and_exit_0()
    {
        var path = await _temp.EmptyStoreAsync();

        var jobs = await WeaverCli.RunAsync("jobs", "--sqlite", path);
        var leases = await WeaverCli.RunAsync("leases", "--sqlite", path);
        var locks = await WeaverCli.RunAsync("locks", "--sqlite", path);
        var json = await WeaverCli.RunAsync("jobs", "--sqlite", path, "--json");

        Assert.All([jobs, leases, locks, json], run => Assert.True(run.ExitCode == 0, run.ToString()));
        Assert.Contains("No jobs in", jobs.Out, StringComparison.Ordinal);
        Assert.Contains("No running task holds a lease in", leases.Out, StringComparison.Ordinal);
        Assert.Contains("No resource is locked in", locks.Out, StringComparison.Ordinal);
        Assert.Empty(json.Json().GetProperty("jobs").EnumerateArray());
    }

    [Fact]
    public async Task Help_lists_the_commands_and_each_command_has_its_own()
    {
        var root = await WeaverCli.RunAsync("--help");
        var graph = await WeaverCli.RunAsync("graph", "--help");

        Assert.True(root.ExitCode == 0, root.ToString());
        foreach (var command in new[] { "jobs", "status", "explain", "graph", "leases", "locks" })
        {
            Assert.Contains($"  {command}", root.Out, StringComparison.Ordinal);
        }

        Assert.Contains("Exit codes: 0 ok", root.Out, StringComparison.Ordinal);
        Assert.True(graph.ExitCode == 0, graph.ToString());
        Assert.Contains("weaver graph <JOB> [options]", graph.Out, StringComparison.Ordinal);
        Assert.Contains("generated ToMermaid()", graph.Out, StringComparison.Ordinal);
        Assert.Contains("--postgres <CONNECTION_STRING>", graph.Out, StringComparison.Ordinal);
    }
}
