using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using AgentFleet.Fleet;

namespace AgentFleet.Agents;

/// <summary>
/// An agent in a worker process of its own (this program's <c>worker</c> command) on the same store. A crash is
/// <see cref="Process.Kill(bool)"/>; a pause is SIGSTOP and SIGCONT, on Linux and macOS.
/// </summary>
public sealed class ProcessAgent(string name, FleetOptions options) : Agent(name)
{
    /// <summary>The line a worker process prints once its agent works.</summary>
    public const string ReadyLine = "ready";

    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _stderr = new();
    private Process? _process;

    /// <inheritdoc />
    public override string Where => _process is null ? "not started" : $"pid {_process.Id}";

    /// <inheritdoc />
    public override bool CanPause => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    /// <inheritdoc />
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };

        // Run with `dotnet AgentFleet.dll`, the worker is started the same way; run as its own executable, directly.
        if (Path.GetFileNameWithoutExtension(start.FileName).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        string[] arguments =
        [
            "worker", "--store", options.Store.ToString().ToLowerInvariant(), "--data", options.Data, "--name", Name,
            "--lease-ms", options.LeaseMilliseconds.ToString(CultureInfo.InvariantCulture), "--watch-stdin",
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (options.Connection is { } connection)
        {
            // Through the environment, so the password is not on a command line other users can read.
            start.Environment[FleetOptions.ConnectionVariable] = connection;
        }

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == ReadyLine)
            {
                _ready.TrySetResult();
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (_stderr)
                {
                    _stderr.Enqueue(line);
                    while (_stderr.Count > 20)
                    {
                        _stderr.Dequeue();
                    }
                }
            }
        };
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException($"Worker process {Name} ended before it was ready.{Stderr()}"));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        try
        {
            await _ready.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"Worker process {Name} ({Where}) was not ready within 60 s.{Stderr()}");
        }
    }

    /// <inheritdoc />
    public override void Pause() => Signal(OperatingSystem.IsMacOS() ? 17 : 19);

    /// <inheritdoc />
    public override void Resume() => Signal(OperatingSystem.IsMacOS() ? 19 : 18);

    /// <inheritdoc />
    public override async Task CrashAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <inheritdoc />
    public override async Task RetireAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        // The worker stops gracefully when its standard input ends.
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private string Stderr()
    {
        lock (_stderr)
        {
            return _stderr.Count == 0 ? "" : $"\n--- its stderr ---\n{string.Join('\n', _stderr)}";
        }
    }

    private void Signal(int signal)
    {
        if (!CanPause)
        {
            throw new PlatformNotSupportedException("Pausing a worker process needs POSIX signals (Linux or macOS).");
        }

        if (_process is { HasExited: false } process && kill(process.Id, signal) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new Win32Exception(errno, $"Signal {signal} could not be sent to worker process {Name} ({Where}): {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
