using System.Globalization;
using System.Text;
using Weaver.Stores.Worker;

namespace Weaver.Stores.Tests.MultiProcess;

/// <summary>How the fleet's workers run: the store they share, and their concurrency, leases and work.</summary>
/// <param name="Store">The worker's <c>--store</c>: <c>sqlite</c> or <c>postgres</c>.</param>
/// <param name="Connection">The worker's <c>--connection</c>.</param>
/// <param name="Concurrency">Attempts at once per worker.</param>
/// <param name="Leases">The lease timing (the test's own store uses the same).</param>
/// <param name="Work">How long each attempt works.</param>
/// <param name="IdleWait">The longest wait for work between claims.</param>
internal sealed record FleetSettings(string Store, string Connection, int Concurrency, LeaseOptions Leases, TimeSpan Work, TimeSpan IdleWait)
{
    /// <summary>The worker's command line, without its name.</summary>
    public IReadOnlyList<string> Arguments =>
    [
        "--store", Store,
        "--connection", Connection,
        "--concurrency", Number(Concurrency),
        "--lease-ms", Number(Leases.LeaseDuration.TotalMilliseconds),
        "--heartbeat-ms", Number(Leases.HeartbeatInterval.TotalMilliseconds),
        "--work-ms", Number(Work.TotalMilliseconds),
        "--idle-ms", Number(IdleWait.TotalMilliseconds),
    ];

    private static string Number(double value) => ((long)value).ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The worker processes of one test: started by name (<c>w1</c>, <c>w2</c>, ...), every one of them kept, alive or not,
/// so that their reports can be read at the end. Disposing kills every one still running, whatever the test did.
/// </summary>
internal sealed class WorkerFleet(FleetSettings settings) : IDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);
    private readonly List<WorkerProcess> _all = [];

    /// <summary>How the workers run.</summary>
    public FleetSettings Settings => settings;

    /// <summary>Every worker started, in order.</summary>
    public IReadOnlyList<WorkerProcess> All
    {
        get
        {
            lock (_all)
            {
                return [.. _all];
            }
        }
    }

    /// <summary>The workers that have not ended.</summary>
    public IReadOnlyList<WorkerProcess> Alive => [.. All.Where(w => !w.HasExited)];

    /// <summary>Starts one more worker; it is not ready yet.</summary>
    /// <returns>The worker.</returns>
    public WorkerProcess Start()
    {
        lock (_all)
        {
            var worker = WorkerProcess.Start($"w{_all.Count + 1}", settings.Arguments);
            _all.Add(worker);
            return worker;
        }
    }

    /// <summary>Starts <paramref name="count"/> workers and waits until each is ready.</summary>
    /// <param name="count">How many.</param>
    /// <param name="timeout">How long they may take to start, together.</param>
    /// <returns>The workers.</returns>
    public async Task<IReadOnlyList<WorkerProcess>> StartReadyAsync(int count, TimeSpan timeout)
    {
        var workers = Enumerable.Range(0, count).Select(_ => Start()).ToList();
        await Task.WhenAll(workers.Select(w => w.WaitUntilReadyAsync(timeout)));
        return workers;
    }

    /// <summary>
    /// Stops every live worker gracefully (SIGTERM, after SIGCONT for a paused one) and waits for them; each must exit
    /// with 0 after printing <c>stopped</c>.
    /// </summary>
    /// <returns>A task.</returns>
    /// <exception cref="Xunit.Sdk.XunitException">A worker did not stop cleanly; the message holds its stderr.</exception>
    public async Task StopAllAsync()
    {
        var alive = Alive;
        var codes = await Task.WhenAll(alive.Select(w => w.TerminateAsync(ExitTimeout)));
        var unclean = alive.Zip(codes)
            .Where(p => p.Second != 0 || !p.First.Lines.Any(l => l.Event == WorkerProtocol.Stopped))
            .Select(p => p.First.Describe())
            .ToList();
        Assert.True(unclean.Count == 0, $"{unclean.Count} worker(s) did not stop gracefully on SIGTERM (exit code 0 after 'stopped'):{string.Concat(unclean)}");
    }

    /// <summary>Every protocol line of every worker, with the worker that printed it.</summary>
    /// <returns>The lines.</returns>
    public IReadOnlyList<(WorkerProcess Worker, WorkerLine Line)> Lines() =>
        [.. All.SelectMany(w => w.Lines.Select(l => (w, l)))];

    /// <summary>Which worker an attempt's owner (<c>{name}/{slot}</c>) belongs to; null for an unknown owner.</summary>
    /// <param name="owner">The lease owner.</param>
    /// <returns>The worker.</returns>
    public WorkerProcess? OwnerOf(string? owner)
    {
        var name = owner?.Split('/')[0];
        return All.FirstOrDefault(w => w.Name == name);
    }

    /// <summary>Every worker's state and stderr tail, for failure messages.</summary>
    /// <returns>The text.</returns>
    public string Describe()
    {
        var text = new StringBuilder();
        foreach (var worker in All)
        {
            text.Append(worker.Describe());
        }

        return text.ToString();
    }

    /// <summary>Kills every worker still running.</summary>
    public void Dispose()
    {
        foreach (var worker in All)
        {
            worker.Dispose();
        }
    }
}
