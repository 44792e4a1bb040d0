using System.Diagnostics;
using System.Text;
using Weaver.Tests.Shared;

namespace Weaver.AgentFleet.Tests;

/// <summary>
/// One run of the AgentFleet sample as a process, with its output redirected (so it prints plain progress lines): its
/// stdout lines as they arrive, its stderr, and a way to wait for a line or kill it mid-job. Disposing kills it if it runs.
/// </summary>
internal sealed class FleetProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];

    private FleetProcess(Process process) => _process = process;

    /// <summary>Every stdout line so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_stdout)
            {
                return [.. _stdout];
            }
        }
    }

    /// <summary>Its stdout so far, as one text.</summary>
    public string Output => string.Join('\n', Lines);

    /// <summary>Its stderr so far.</summary>
    public string Errors
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts the sample with <paramref name="arguments"/>.</summary>
    /// <param name="arguments">Its command line.</param>
    /// <returns>The running sample.</returns>
    public static FleetProcess Start(params string[] arguments)
    {
        var start = DotnetApp.StartInfo(SamplePath(), arguments);
        start.Environment.Remove("WEAVER_AGENTFLEET_POSTGRES");
        var fleet = new FleetProcess(new Process { StartInfo = start });
        fleet._process.OutputDataReceived += (_, e) => fleet.OnLine(e.Data);
        fleet._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (fleet._stderr)
                {
                    fleet._stderr.AppendLine(e.Data);
                }
            }
        };
        fleet._process.Start();
        fleet._process.BeginOutputReadLine();
        fleet._process.BeginErrorReadLine();
        return fleet;
    }

    /// <summary>Runs the sample to its end.</summary>
    /// <param name="arguments">Its command line.</param>
    /// <returns>The ended run.</returns>
    public static async Task<(int ExitCode, FleetProcess Run)> RunAsync(params string[] arguments)
    {
        var run = Start(arguments);
        return (await run.WaitForExitAsync(TimeSpan.FromSeconds(180)), run);
    }

    /// <summary>Waits for a stdout line that matches.</summary>
    /// <param name="match">The line wanted.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The line.</returns>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_stdout)
        {
            if (_stdout.FirstOrDefault(match) is { } already)
            {
                return already;
            }

            _waiters.Add((match, seen));
        }

        try
        {
            return await seen.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"AgentFleet printed no such line within {timeout}.{Describe()}");
        }
    }

    /// <summary>Kills it at once, as an interrupted run (kill -9, a power cut), and waits for it to end.</summary>
    /// <returns>A task.</returns>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits for it to end.</summary>
    /// <param name="timeout">How long it may take.</param>
    /// <returns>Its exit code.</returns>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            await _outputClosed.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"AgentFleet did not end within {timeout}.{Describe()}");
        }

        return _process.ExitCode;
    }

    /// <summary>Its output and errors, for failure messages.</summary>
    /// <returns>The text.</returns>
    public string Describe() => $"\n--- stdout ---\n{Output}\n--- stderr ---\n{Errors}";

    /// <summary>Kills it if it still runs.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started, or ended meanwhile.
        }

        _process.Dispose();
    }

    private static string SamplePath() => DotnetApp.Existing(
        DotnetApp.RecordedPath(typeof(FleetProcess).Assembly, "AgentFleetPath"), "AgentFleet", "Building this test project builds it.");

    private void OnLine(string? line)
    {
        if (line is null)
        {
            _outputClosed.TrySetResult();
            return;
        }

        TaskCompletionSource<string>[] matched;
        lock (_stdout)
        {
            _stdout.Add(line);
            matched = [.. _waiters.Where(w => w.Match(line)).Select(w => w.Seen)];
            _waiters.RemoveAll(w => matched.Contains(w.Seen));
        }

        foreach (var seen in matched)
        {
            seen.TrySetResult(line);
        }
    }
}
