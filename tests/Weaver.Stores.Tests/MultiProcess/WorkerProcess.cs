using System.Diagnostics;
using System.Text;
using Weaver.Stores.Worker;
using Weaver.Tests.Shared;

namespace Weaver.Stores.Tests.MultiProcess;

/// <summary>
/// One running store test worker (<c>Weaver.Stores.Worker</c>): its protocol lines as they arrive, the tail of its
/// stderr, and the signals the tests send it. Disposing kills it if it still runs.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private const int StderrLinesKept = 60;
    private readonly Process _process;
    private readonly List<WorkerLine> _lines = [];
    private readonly Queue<string> _stderr = new();
    private readonly TaskCompletionSource<int> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _unexpectedLines;

    private WorkerProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    /// <summary>The worker group's name (its lease owners are <c>{Name}/{slot}</c>).</summary>
    public string Name { get; }

    /// <summary>The process id.</summary>
    public int Pid { get; private set; }

    /// <summary>Whether the test killed it with SIGKILL.</summary>
    public bool WasKilled { get; private set; }

    /// <summary>Whether it is stopped by SIGSTOP now.</summary>
    public bool IsPaused { get; private set; }

    /// <summary>Whether it was ever paused: a zombie whose leases went stale while it slept.</summary>
    public bool WasPaused { get; private set; }

    /// <summary>When it was last let go on (SIGCONT), by <see cref="TimeProvider.System"/>'s timestamp; 0 if never.</summary>
    public long ResumedAt { get; private set; }

    /// <summary>Whether it printed its <c>ready</c> line.</summary>
    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Its exit code, once it ended.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>The protocol lines it printed so far.</summary>
    public IReadOnlyList<WorkerLine> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Starts a worker; it is ready once <see cref="WaitUntilReadyAsync"/> returns.</summary>
    /// <param name="name">The worker's name.</param>
    /// <param name="arguments">Its arguments after the dll, without <c>--name</c>.</param>
    /// <returns>The running worker.</returns>
    public static WorkerProcess Start(string name, IReadOnlyList<string> arguments)
    {
        var start = DotnetApp.StartInfo(WorkerPath(), arguments);
        start.RedirectStandardInput = true;
        start.ArgumentList.Add("--name");
        start.ArgumentList.Add(name);

        // The worker holds the read end of a pipe whose write end only this process holds: if this process dies, however
        // it dies, the pipe ends and the worker stops on its own.
        start.ArgumentList.Add("--watch-stdin");
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        var worker = new WorkerProcess(name, new Process { StartInfo = start, EnableRaisingEvents = true });
        worker.Launch();
        return worker;
    }

    /// <summary>Waits for the worker's <c>ready</c> line.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>A task that completes once it is ready.</returns>
    /// <exception cref="InvalidOperationException">It ended, or was not ready in time; the message holds its stderr.</exception>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        try
        {
            await _ready.Task.WaitAsync(timeout, TimeProvider.System);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"Worker {Name} (pid {Pid}) printed no 'ready' line within {timeout}.{Describe()}");
        }
    }

    /// <summary>Kills it at once (SIGKILL) and waits for it to end.</summary>
    /// <param name="timeout">How long it may take to end.</param>
    /// <returns>A task.</returns>
    public async Task KillAsync(TimeSpan timeout)
    {
        WasKilled = true;
        Signal(Signals.Kill);
        IsPaused = false;
        await WaitForExitAsync(timeout);
    }

    /// <summary>Freezes it (SIGSTOP): its threads, timers and heartbeats stop where they are.</summary>
    public void Pause()
    {
        Signal(Signals.Stop);
        IsPaused = true;
        WasPaused = true;
    }

    /// <summary>Lets it run again (SIGCONT).</summary>
    public void Resume()
    {
        Signal(Signals.Continue);
        IsPaused = false;
        ResumedAt = TimeProvider.System.GetTimestamp();
    }

    /// <summary>Closes its standard input, as the death of the test process would: the worker stops gracefully.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Asks it to stop gracefully (SIGTERM) and waits for it to end.</summary>
    /// <param name="timeout">How long it may take.</param>
    /// <returns>Its exit code.</returns>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (IsPaused)
        {
            Resume();
        }

        Signal(Signals.Terminate);
        await WaitForExitAsync(timeout);
        return _process.ExitCode;
    }

    /// <summary>The last lines it wrote to stderr (and any stdout line outside the protocol).</summary>
    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return string.Join('\n', _stderr);
            }
        }
    }

    /// <summary>Its name, pid, what happened to it, and the tail of its stderr, for failure messages.</summary>
    /// <returns>The text.</returns>
    public string Describe()
    {
        string[] stderr;
        lock (_stderr)
        {
            stderr = [.. _stderr];
        }

        var state = _process.HasExited ? $"exited with code {_process.ExitCode}" : IsPaused ? "paused" : "running";
        var text = new StringBuilder($"\n--- worker {Name} (pid {Pid}, {state}{(WasKilled ? ", killed by the test" : "")}");
        text.Append(WasPaused ? ", was paused" : "").Append($", {Lines.Count} protocol lines");
        text.Append(_unexpectedLines > 0 ? $", {_unexpectedLines} other stdout lines" : "").Append(") stderr tail ---");
        foreach (var line in stderr)
        {
            text.Append('\n').Append(line);
        }

        return text.ToString();
    }

    /// <summary>Kills it if it still runs, and waits briefly for it to end.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }

            _process.StandardInput.Close();
        }
        catch (InvalidOperationException)
        {
            // It was never started, or ended meanwhile.
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>The worker's dll: <c>WEAVER_STORES_WORKER</c>, or where the build put it (baked into this assembly).</summary>
    private static string WorkerPath()
    {
        var path = Environment.GetEnvironmentVariable("WEAVER_STORES_WORKER") is { Length: > 0 } overridden
            ? overridden
            : DotnetApp.RecordedPath(typeof(WorkerProcess).Assembly, "StoresWorkerPath");
        return DotnetApp.Existing(
            path,
            "The store test worker",
            "Build tests/Weaver.Stores.Worker (building this test project does), or set WEAVER_STORES_WORKER to its Weaver.Stores.Worker.dll.");
    }

    private void Signal(int signal)
    {
        try
        {
            Signals.Send(Pid, signal);
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new InvalidOperationException($"Signal {signal} could not be sent to worker {Name}: {error.Message}{Describe()}", error);
        }
    }

    private void Launch()
    {
        _process.OutputDataReceived += (_, e) => OnOutput(e.Data);
        _process.ErrorDataReceived += (_, e) => OnError(e.Data);
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException($"Worker {Name} ended before it was ready.{Describe()}"));
        _process.Start();
        Pid = _process.Id;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Waits for it to end.</summary>
    /// <param name="timeout">How long it may take.</param>
    /// <returns>A task.</returns>
    /// <exception cref="InvalidOperationException">It did not end in time; the message holds its stderr.</exception>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout, TimeProvider.System);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            await _outputClosed.Task.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"Worker {Name} (pid {Pid}) did not end within {timeout}.{Describe()}");
        }
    }

    private void OnOutput(string? data)
    {
        if (data is null)
        {
            _outputClosed.TrySetResult();
            return;
        }

        if (WorkerProtocol.Parse(data) is not { } line)
        {
            Interlocked.Increment(ref _unexpectedLines);
            OnError("(stdout) " + data);
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        if (line.Event == WorkerProtocol.Ready)
        {
            _ready.TrySetResult(Pid);
        }
    }

    private void OnError(string? data)
    {
        if (data is null)
        {
            return;
        }

        lock (_stderr)
        {
            _stderr.Enqueue(data);
            while (_stderr.Count > StderrLinesKept)
            {
                _stderr.Dequeue();
            }
        }
    }
}
