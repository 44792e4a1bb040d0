namespace Weaver.Stores.Tests.MultiProcess;

/// <summary>How often the chaos strikes, and how long a paused worker sleeps.</summary>
/// <param name="KillEvery">How often a worker is killed with SIGKILL (and a replacement started).</param>
/// <param name="PauseEvery">How long after a paused worker is let go the next one is paused.</param>
/// <param name="PauseFor">How long a worker stays stopped: more than the lease's stale-after, so its leases are lost.</param>
/// <param name="Seed">The seed of the random choices, printed so that a run can be told apart.</param>
internal sealed record ChaosSettings(TimeSpan KillEvery, TimeSpan PauseEvery, TimeSpan PauseFor, int Seed);

/// <summary>
/// Kills and pauses a fleet's workers while a run goes on, in real time (real processes cannot run on a fake clock):
/// every <see cref="ChaosSettings.KillEvery"/> (once the last replacement is ready) a random ready worker gets SIGKILL
/// and a replacement starts; one worker at a time is stopped with SIGSTOP and continued with SIGCONT after
/// <see cref="ChaosSettings.PauseFor"/>, a zombie whose leases went stale meanwhile. The last running worker is never
/// killed or paused, so the run always moves on.
/// </summary>
internal sealed class ChaosMonkey(WorkerFleet fleet, ChaosSettings settings)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    // A worker just let go is left alone for a while, so that its late writes reach the store before anything else.
    private static readonly TimeSpan ResumedGrace = TimeSpan.FromSeconds(1);
    private readonly Random _random = new(settings.Seed);
    private readonly List<Task> _starting = [];
    private readonly List<string> _log = [];
    private readonly long _began = TimeProvider.System.GetTimestamp();
    private WorkerProcess? _paused;
    private long _pausedAt;

    /// <summary>How many workers were killed.</summary>
    public int Kills { get; private set; }

    /// <summary>How many pauses ended with the worker continued.</summary>
    public int Pauses { get; private set; }

    /// <summary>What the chaos did, with the seconds since it began: for failure messages and the test's output.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log);
            }
        }
    }

    /// <summary>Strikes until <paramref name="stop"/> is cancelled, then lets a paused worker go on.</summary>
    /// <param name="stop">Ends the chaos.</param>
    /// <returns>A task that fails when a worker could not be killed, paused or replaced.</returns>
    public async Task RunAsync(CancellationToken stop)
    {
        var time = TimeProvider.System;
        var nextKill = time.GetTimestamp() + Ticks(settings.KillEvery);
        var nextPause = time.GetTimestamp() + Ticks(settings.KillEvery / 2);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var now = time.GetTimestamp();
                if (_paused is { } sleeper && time.GetElapsedTime(_pausedAt) >= settings.PauseFor)
                {
                    sleeper.Resume();
                    Note($"continued {sleeper.Name} (pid {sleeper.Pid})");
                    _paused = null;
                    Pauses++;
                    nextPause = now + Ticks(settings.PauseEvery);
                }

                // The next kill waits for the last replacement to be ready: on a slow machine the chaos slows down with it,
                // rather than keep the whole fleet starting up.
                if (now >= nextKill && fleet.Alive.All(w => w.IsReady) && Pick() is { } victim)
                {
                    await victim.KillAsync(TimeSpan.FromSeconds(10));
                    Kills++;
                    var replacement = fleet.Start();
                    Note($"killed {victim.Name} (pid {victim.Pid}); started {replacement.Name} (pid {replacement.Pid})");
                    _starting.Add(replacement.WaitUntilReadyAsync(ReadyTimeout));
                    nextKill = now + Ticks(settings.KillEvery);
                }

                if (_paused is null && now >= nextPause && Pick() is { } zombie)
                {
                    zombie.Pause();
                    Note($"paused {zombie.Name} (pid {zombie.Pid})");
                    _paused = zombie;
                    _pausedAt = time.GetTimestamp();
                }

                // A replacement that could not start fails the run now, with its stderr.
                foreach (var failed in _starting.Where(t => t.IsFaulted).ToList())
                {
                    await failed;
                }

                try
                {
                    await Task.Delay(Tick, time, stop);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
            }
        }
        finally
        {
            if (_paused is { HasExited: false } last)
            {
                last.Resume();
                Note($"continued {last.Name} (pid {last.Pid}) as the chaos ended");
                Pauses++;
            }

            _paused = null;
        }

        await Task.WhenAll(_starting);
    }

    private void Note(string what)
    {
        lock (_log)
        {
            _log.Add($"{TimeProvider.System.GetElapsedTime(_began).TotalSeconds,7:0.00} s  {what}");
        }
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * TimeProvider.System.TimestampFrequency);

    /// <summary>A random worker that runs, is ready and was not just let go; null when that would leave none running.</summary>
    private WorkerProcess? Pick()
    {
        var running = fleet.Alive.Where(w => w.IsReady && !w.IsPaused).ToList();
        var candidates = running
            .Where(w => w.ResumedAt == 0 || TimeProvider.System.GetElapsedTime(w.ResumedAt) > ResumedGrace)
            .ToList();
        return running.Count < 2 || candidates.Count == 0 ? null : candidates[_random.Next(candidates.Count)];
    }
}
