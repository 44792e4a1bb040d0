namespace Weaver.Stores.Tests.MultiProcess;

/// <summary>
/// The store test worker itself: it refuses a bad command line with exit code 2, saying what is wrong and how to call
/// it; and it never outlives the process that started it.
/// </summary>
public sealed class StoreWorkerTests
{
    private static readonly string[] Valid =
        ["--store", "sqlite", "--connection", "/nonexistent/weaver.db", "--concurrency", "2", "--lease-ms", "1000", "--heartbeat-ms", "250"];

    [Theory]
    [InlineData("--store", "mysql", "--store must be 'sqlite' or 'postgres'; it is 'mysql'.")]
    [InlineData("--concurrency", "0", "--concurrency must be a whole number from 1 to 256; it is '0'.")]
    [InlineData("--lease-ms", "many", "--lease-ms must be a whole number from 1 to 3600000; it is 'many'.")]
    [InlineData("--heartbeat-ms", "1000", "--heartbeat-ms must be less than --lease-ms (1000); it is 1000.")]
    [InlineData("--work-ms", "-5", "--work-ms must be a whole number from 0 to 3600000; it is '-5'.")]
    [InlineData("--color", "blue", "Unknown argument '--color'; the arguments are --store, --connection, --name, --concurrency, --lease-ms, --heartbeat-ms, --work-ms, --idle-ms, --watch-stdin.")]
    public async Task A_bad_argument_is_refused_with_what_is_allowed(string option, string value, string error)
    {
        var arguments = Valid.ToList();
        var at = arguments.IndexOf(option);
        if (at >= 0)
        {
            arguments[at + 1] = value;
        }
        else
        {
            arguments.AddRange([option, value]);
        }

        var (code, stderr) = await RunAsync(arguments);

        Assert.Equal(2, code);
        Assert.StartsWith($"error: {error}", stderr, StringComparison.Ordinal);
        Assert.Contains("Usage: dotnet Weaver.Stores.Worker.dll --store sqlite|postgres", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_argument_is_named()
    {
        var (code, stderr) = await RunAsync([.. Valid.Where((_, i) => i is not (2 or 3))]);

        Assert.Equal(2, code);
        Assert.StartsWith("error: --connection is required.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_that_cannot_be_opened_ends_the_worker_with_code_3_naming_it()
    {
        var (code, stderr) = await RunAsync(Valid);

        Assert.Equal(3, code);
        Assert.StartsWith("error: the sqlite store at '/nonexistent/weaver.db' could not be opened: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_stops_gracefully_when_the_process_that_started_it_goes()
    {
        var folder = Directory.CreateTempSubdirectory("weaver-worker-");
        try
        {
            var arguments = Valid.ToList();
            arguments[3] = Path.Combine(folder.FullName, "weaver.db");
            using var worker = WorkerProcess.Start("orphan", arguments);
            await worker.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

            worker.CloseInput(); // what the end of the test process does to the pipe
            await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(0, worker.ExitCode);
            Assert.Contains(worker.Lines, line => line.Event == Weaver.Stores.Worker.WorkerProtocol.Stopped);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<(int Code, string Stderr)> RunAsync(IReadOnlyList<string> arguments)
    {
        using var worker = WorkerProcess.Start("cli", arguments);
        await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (worker.ExitCode, worker.Stderr);
    }
}
