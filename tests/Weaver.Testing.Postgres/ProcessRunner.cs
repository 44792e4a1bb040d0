using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Weaver.Testing.Postgres;

/// <summary>The outcome of one finished process: its command line, exit code and everything it printed.</summary>
internal sealed record ProcessResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    public string Describe() =>
        $"`{CommandLine}` exited with code {ExitCode} after {Elapsed.TotalSeconds:0.0} s."
        + Section("stdout", StandardOutput)
        + Section("stderr", StandardError);

    internal static string Section(string title, string text) =>
        string.IsNullOrWhiteSpace(text) ? $"\n--- {title}: (empty) ---" : $"\n--- {title} ---\n{text.TrimEnd()}";
}

/// <summary>
/// Runs a command to completion, optionally as another user, capturing stdout and stderr. Standard input is closed
/// at once, so nothing can wait for a password or a prompt. Variables starting with <c>PG</c> are removed so that a
/// developer's <c>PGDATA</c> or <c>PGPORT</c> can never point a command at another server, and messages are in the
/// C locale.
/// </summary>
internal static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        TimeSpan timeout,
        UserSwitch? runAs = null,
        string? workingDirectory = null)
    {
        var (file, args) = runAs is null ? (fileName, arguments.ToList()) : runAs.Wrap(fileName, arguments);
        var commandLine = FormatCommandLine(file, args);
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["LC_ALL"] = "C";
        start.Environment["LANG"] = "C";

        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new PostgresClusterException($"Could not start `{commandLine}`: {e.Message}", e);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended on its own in the meantime.
            }

            var partialOut = await Drain(stdout).ConfigureAwait(false);
            var partialErr = await Drain(stderr).ConfigureAwait(false);
            throw new PostgresClusterException(
                $"`{commandLine}` did not finish within {timeout.TotalSeconds:0} s and was killed."
                + ProcessResult.Section("stdout", partialOut)
                + ProcessResult.Section("stderr", partialErr));
        }

        // A child that outlives the command may keep the pipes open; do not wait for it forever.
        var output = await Drain(stdout).ConfigureAwait(false);
        var error = await Drain(stderr).ConfigureAwait(false);
        return new ProcessResult(commandLine, process.ExitCode, output, error, stopwatch.Elapsed);
    }

    /// <summary>Runs a command and throws, with everything it printed, when it exits with a non-zero code.</summary>
    public static async Task<ProcessResult> RunCheckedAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        TimeSpan timeout,
        UserSwitch? runAs = null,
        string? workingDirectory = null,
        Func<string>? context = null)
    {
        var result = await RunAsync(fileName, arguments, timeout, runAs, workingDirectory).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new PostgresClusterException(result.Describe() + (context?.Invoke() ?? ""));
        }

        return result;
    }

    internal static string FormatCommandLine(string file, IEnumerable<string> args) =>
        string.Join(' ', new[] { file }.Concat(args).Select(QuoteForDisplay));

    /// <summary>Quotes a word for a POSIX shell: <c>it's</c> becomes <c>'it'\''s'</c>.</summary>
    internal static string ShellQuote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string QuoteForDisplay(string word) =>
        word.Length > 0 && word.All(c => char.IsLetterOrDigit(c) || "-_./=:,@+%".Contains(c)) ? word : ShellQuote(word);

    private static async Task<string> Drain(Task<string> read)
    {
        try
        {
            return await read.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return "(output not complete: a child process still holds the pipe)";
        }
    }
}
