using System.Diagnostics;
using System.Text.Json;
using Weaver.Tests.Shared;

namespace Weaver.Cli.Tests;

/// <summary>What one run of the weaver process printed and returned.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Out">Its stdout.</param>
/// <param name="Error">Its stderr.</param>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    /// <summary>Stdout parsed as JSON.</summary>
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Out);
        return document.RootElement.Clone();
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Out}\n--- stderr ---\n{Error}";
}

/// <summary>
/// Runs the built weaver (<c>dotnet Weaver.Cli.dll ...</c>) as a process, with the WEAVER_* variables of the test's own
/// environment removed, so that only what a test sets reaches it.
/// </summary>
internal static class WeaverCli
{
    /// <summary>The longest a run may take before the test fails; a guard against a hang, never a wait for something.</summary>
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs weaver with <paramref name="arguments"/>.</summary>
    /// <param name="arguments">Its arguments.</param>
    /// <returns>What it printed and returned.</returns>
    public static Task<CliRun> RunAsync(params string[] arguments) => RunAsync(arguments, new Dictionary<string, string>());

    /// <summary>Runs weaver with <paramref name="arguments"/> and the given environment variables.</summary>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="environment">Variables to set for it.</param>
    /// <param name="workingDirectory">Its current folder; the test's when null.</param>
    /// <returns>What it printed and returned.</returns>
    public static async Task<CliRun> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string? workingDirectory = null)
    {
        var start = DotnetApp.StartInfo(CliPath(), arguments);
        start.WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory;

        foreach (var name in start.Environment.Keys.Where(name => name.StartsWith("WEAVER_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment.Remove("COLUMNS");
        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(RunTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"weaver {string.Join(' ', arguments)} did not end within {RunTimeout}.");
        }

        return new CliRun(process.ExitCode, await output, await error);
    }

    private static string CliPath() => DotnetApp.Existing(
        DotnetApp.RecordedPath(typeof(WeaverCli).Assembly, "WeaverCliPath"), "weaver", "Build src/Weaver.Cli (building this test project does).");
}
