using System.Diagnostics;
using System.Text;

namespace Weaver.PackageTests;

/// <summary>The outcome of one child process: its exit code, its stdout, and stdout and stderr interleaved.</summary>
internal sealed record ProcessResult(string Command, string WorkingDirectory, int ExitCode, string StandardOutput, string Output)
{
    /// <summary>The whole run, for assertion messages.</summary>
    public string Describe() =>
        $"""
        $ {Command}
          (in {WorkingDirectory}, exit code {ExitCode})
        {Output}
        """;
}

/// <summary>Runs <c>dotnet</c> the way a user would, with a timeout and the whole output captured.</summary>
internal static class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    // Set by the outer `dotnet test`; a child SDK must resolve its own MSBuild, as it would on a user's machine.
    private static readonly string[] InheritedVariablesToDrop =
    [
        "MSBuildSDKsPath",
        "MSBuildExtensionsPath",
        "MSBUILD_EXE_PATH",
        "MSBuildLoadMicrosoftTargetsReadOnly",
    ];

    public static ProcessResult Dotnet(
        string workingDirectory,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null)
    {
        var startInfo = new ProcessStartInfo(DotnetExecutable())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var name in InheritedVariablesToDrop)
        {
            startInfo.Environment.Remove(name);
        }

        // No MSBuild node, MSBuild server or compiler server may outlive the test.
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        startInfo.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        startInfo.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                startInfo.Environment[name] = value;
            }
        }

        var command = $"{Path.GetFileName(startInfo.FileName)} {string.Join(' ', startInfo.ArgumentList.Select(Quote))}";
        var output = new StringBuilder();
        var standardOutput = new StringBuilder();
        var gate = new object();

        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (gate)
            {
                output.AppendLine(e.Data);
                standardOutput.AppendLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (gate)
            {
                output.AppendLine(e.Data);
            }
        };

        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var limit = timeout ?? DefaultTimeout;
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            lock (gate)
            {
                throw new TimeoutException(
                    $"""
                    $ {command}
                      (in {workingDirectory}) did not finish within {limit} and was killed. Output so far:
                    {output}
                    """);
            }
        }

        // The parameterless overload also waits until the redirected streams are drained.
        process.WaitForExit();
        lock (gate)
        {
            return new ProcessResult(command, workingDirectory, process.ExitCode, standardOutput.ToString(), output.ToString());
        }
    }

    private static string DotnetExecutable()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c == '"') ? argument : $"\"{argument.Replace("\"", "\\\"")}\"";
}
