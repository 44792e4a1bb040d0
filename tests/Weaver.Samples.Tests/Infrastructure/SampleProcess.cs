using System.Diagnostics;
using System.Reflection;
using Weaver.Tests.Shared;

namespace Weaver.Samples.Tests.Infrastructure;

/// <summary>
/// Runs a sample as a user would, <c>dotnet &lt;Sample&gt;.dll</c>, from the build output this test project records (see
/// its project file), with a timeout and its stdout and stderr captured.
/// </summary>
public static class SampleProcess
{
    /// <summary>How long a sample may run by default: far more than any should need, so only a hang hits it.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromMinutes(2);

    /// <summary>Runs the sample <paramref name="name"/> to its end.</summary>
    /// <param name="name">The sample's project name, such as <c>OrderSaga</c>.</param>
    /// <param name="arguments">Its command-line arguments.</param>
    /// <param name="timeout">How long it may run; <see cref="DefaultTimeout"/> when null.</param>
    /// <returns>How it ended.</returns>
    /// <exception cref="TimeoutException">It ran longer than the timeout; it was killed, and the message holds its output so far.</exception>
    public static async Task<SampleRun> RunAsync(string name, IEnumerable<string>? arguments = null, TimeSpan? timeout = null)
    {
        var start = DotnetApp.StartInfo(PathOf(name), arguments ?? []);
        start.RedirectStandardInput = true;
        start.WorkingDirectory = Path.GetTempPath();

        var command = string.Join(' ', [Path.GetFileName(start.FileName), .. start.ArgumentList]);
        var stdout = new List<string>();
        var stderr = new List<string>();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var limit = timeout ?? DefaultTimeout;
        using var deadline = new CancellationTokenSource(limit, TimeProvider.System);
        try
        {
            // Returns once the process has exited and its redirected output is drained.
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            var sofar = new SampleRun(command, process.ExitCode, Snapshot(stdout), Snapshot(stderr));
            throw new TimeoutException($"Sample {name} did not finish within {limit} and was killed.{Environment.NewLine}{sofar.Describe()}");
        }

        return new SampleRun(command, process.ExitCode, Snapshot(stdout), Snapshot(stderr));
    }

    /// <summary>Where the build put the sample's dll, as this test project recorded it.</summary>
    public static string PathOf(string name)
    {
        var recorded = typeof(SampleProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Where(a => a.Key.StartsWith("Sample:", StringComparison.Ordinal))
            .ToDictionary(a => a.Key["Sample:".Length..], a => a.Value, StringComparer.Ordinal);
        if (!recorded.TryGetValue(name, out var path))
        {
            throw new ArgumentException(
                $"No sample named '{name}' is recorded; recorded: {string.Join(", ", recorded.Keys.Order(StringComparer.Ordinal))}. "
                + "Add a ProjectReference with OutputItemType=\"SampleAssembly\" for it to Weaver.Samples.Tests.csproj.",
                nameof(name));
        }

        return DotnetApp.Existing(path, $"Sample {name}", "Build Weaver.Samples.Tests (which builds the samples) first.");
    }

    private static void Append(List<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (lines)
        {
            lines.Add(line);
        }
    }

    private static string[] Snapshot(List<string> lines)
    {
        lock (lines)
        {
            return [.. lines];
        }
    }
}
