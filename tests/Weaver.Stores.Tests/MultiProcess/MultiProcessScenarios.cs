using System.Text;
using Weaver.Stores.Worker;
using Xunit.Abstractions;

namespace Weaver.Stores.Tests.MultiProcess;

/// <summary>
/// The multi-process scenarios, written once: real worker processes (<c>Weaver.Stores.Worker</c>) share one store and
/// run a pool of tasks, with or without chaos, and the store's histories and the workers' reports are then held to the
/// fencing rules (<see cref="RunRecord"/>). Each provider's test class passes its store (<see cref="CreateTargetAsync"/>).
/// </summary>
/// <remarks>
/// Real processes cannot run on a fake clock, so these tests use real time, but never sleep to wait: they poll the store
/// with an overall deadline and say, when it passes, which tasks were still not terminal. Every worker process is killed
/// when the test ends, however it ends.
/// </remarks>
public abstract class MultiProcessScenarios(ITestOutputHelper output)
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan SlowListing = TimeSpan.FromSeconds(1);

    /// <summary>Creates an empty store for one test, named after it.</summary>
    /// <param name="name">A name for the store: lowercase letters, digits and underscores.</param>
    /// <returns>The store; the test disposes it.</returns>
    protected abstract Task<MultiProcessTarget> CreateTargetAsync(string name);

    /// <summary>
    /// <paramref name="workers"/> processes claim one pool of <paramref name="tasks"/> tasks with no chaos: every task
    /// succeeds with exactly one attempt and one accepted commit, and the workers' reports of finished handlers and
    /// accepted commits cover every task exactly once, with no write rejected or failed.
    /// </summary>
    protected async Task ExactlyOneWinnerAsync(int tasks, int workers)
    {
        var leases = new LeaseOptions { LeaseDuration = TimeSpan.FromSeconds(5), HeartbeatInterval = TimeSpan.FromSeconds(1) };
        var clock = TimeProvider.System.GetTimestamp();
        await using var target = await CreateTargetAsync("one_winner");
        await using var store = await target.OpenAsync(leases);
        using var fleet = new WorkerFleet(new FleetSettings(
            target.Store, target.Connection, Concurrency: 4, leases, Work: TimeSpan.FromMilliseconds(10), IdleWait: TimeSpan.FromMilliseconds(200)));

        // Every process is waiting before the pool is submitted, so that all of them compete for it from the start.
        await fleet.StartReadyAsync(workers, ReadyTimeout);
        var running = TimeProvider.System.GetTimestamp();
        await SubmitAsync(store, tasks, new RetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.FromMilliseconds(50), Jitter = 0 });
        await WaitUntilAllTerminalAsync(store, tasks, TimeSpan.FromSeconds(120), fleet);
        var ran = TimeProvider.System.GetElapsedTime(running);
        await fleet.StopAllAsync();

        var record = (await RunRecord.ReadAsync(store, fleet)).Check(tasks);
        foreach (var run in record.Runs.Where(r => r.Count(TaskEventKind.AttemptStarted) != 1))
        {
            record.Problem("more than one attempt", $"{run.Task.Id} started {run.Count(TaskEventKind.AttemptStarted)} attempts; with no chaos it should start one. {run.Describe()}");
        }

        ExpectEachTaskOnce(record, WorkerProtocol.Finished, "finished handlers", tasks);
        ExpectEachTaskOnce(record, WorkerProtocol.Committed, "accepted commits", tasks);
        foreach (var (worker, line) in record.Reported(WorkerProtocol.Rejected).Concat(record.Reported(WorkerProtocol.Unwritten)))
        {
            record.Problem("write failed or rejected without chaos", $"{worker.Name}: its {line.Event} {line.Detail} of {line.TaskId} (epoch {line.Epoch}): with no chaos, no write should fail or be rejected.");
        }

        foreach (var idle in fleet.All.Where(w => !w.Lines.Any(l => l.Event == WorkerProtocol.Committed)))
        {
            record.Problem("idle worker", $"{idle.Name} committed no task: the {workers} processes should share the pool.");
        }

        output.WriteLine($"{target.Store}: {tasks} tasks on {workers} processes ran in {ran.TotalSeconds:0.0} s "
            + $"({TimeProvider.System.GetElapsedTime(clock).TotalSeconds:0.0} s in all).\n{record.Summary()}");
        record.ThrowIfProblems($"{tasks} tasks on {workers} worker processes of the {target.Store} store, no chaos");
    }

    /// <summary>
    /// <paramref name="tasks"/> tasks, while workers are killed with SIGKILL (and replaced) and paused with SIGSTOP for
    /// longer than a lease's stale-after: every task still ends Succeeded, exactly once, under its latest lease; none is
    /// lost; and the paused zombies' late writes were rejected, each under an epoch lower than the accepted one.
    /// </summary>
    protected async Task ChaosAsync(int tasks, int workers, int seed)
    {
        // Short leases, so that a paused worker's leases go stale quickly: stale after 1 s + 2 x 250 ms.
        var leases = new LeaseOptions { LeaseDuration = TimeSpan.FromSeconds(1), HeartbeatInterval = TimeSpan.FromMilliseconds(250) };
        var chaos = new ChaosSettings(
            KillEvery: TimeSpan.FromMilliseconds(800),
            PauseEvery: TimeSpan.FromMilliseconds(300),
            PauseFor: leases.StaleAfter + TimeSpan.FromMilliseconds(700),
            seed);
        var clock = TimeProvider.System.GetTimestamp();
        await using var target = await CreateTargetAsync("chaos");
        await using var store = await target.OpenAsync(leases);
        await SubmitAsync(store, tasks, new RetryPolicy { MaxAttempts = 100, InitialDelay = TimeSpan.FromMilliseconds(10), Jitter = 0 });
        using var fleet = new WorkerFleet(new FleetSettings(
            target.Store, target.Connection, Concurrency: 4, leases, Work: TimeSpan.FromMilliseconds(5), IdleWait: TimeSpan.FromMilliseconds(100)));

        var running = TimeProvider.System.GetTimestamp();
        await fleet.StartReadyAsync(workers, ReadyTimeout);
        var monkey = new ChaosMonkey(fleet, chaos);
        using var stopChaos = new CancellationTokenSource();
        // On the thread pool, not the test's synchronization context: a store call that blocks the test's thread (SQLite
        // waits for locks synchronously) must not hold up the chaos, which alone can let a paused worker go on.
        var striking = Task.Run(() => monkey.RunAsync(stopChaos.Token));
        try
        {
            await WaitUntilAllTerminalAsync(store, tasks, TimeSpan.FromSeconds(300), fleet, striking);
        }
        catch (Exception) when (Report(monkey))
        {
            throw;
        }
        finally
        {
            await stopChaos.CancelAsync();
            await striking.WaitAsync(TimeSpan.FromSeconds(90), TimeProvider.System);
        }

        var ran = TimeProvider.System.GetElapsedTime(running);
        await fleet.StopAllAsync();

        var record = (await RunRecord.ReadAsync(store, fleet)).Check(tasks);
        if (monkey.Kills == 0 || monkey.Pauses == 0)
        {
            record.Problem("too little chaos", $"The run ended after {monkey.Kills} kill(s) and {monkey.Pauses} pause(s); the chaos needs at least one of each. Give it more tasks.");
        }

        var rejected = record.Events(TaskEventKind.WriteRejected).ToList();
        var zombies = rejected.Where(e => fleet.OwnerOf(e.Owner) is { WasPaused: true }).ToList();
        if (zombies.Count == 0)
        {
            record.Problem("no zombie write rejected", $"No write of a paused worker was rejected ({rejected.Count} rejected writes in all): "
                + "a zombie whose leases went stale should have had its late heartbeats or commits rejected.");
        }

        output.WriteLine($"{target.Store}: {tasks} tasks ran in {ran.TotalSeconds:0.0} s ({TimeProvider.System.GetElapsedTime(clock).TotalSeconds:0.0} s in all) "
            + $"through {monkey.Kills} kills and {monkey.Pauses} pauses (seed {seed}); {record.Events(TaskEventKind.AttemptStarted).Count()} attempts, "
            + $"{record.Events(TaskEventKind.Reclaimed).Count()} taken back, {rejected.Count} rejected writes ({zombies.Count} of paused workers: "
            + $"{zombies.Count(e => e.Detail.StartsWith("Heartbeat", StringComparison.Ordinal))} heartbeats, "
            + $"{zombies.Count(e => e.Detail.StartsWith("The commit", StringComparison.Ordinal))} commits).\n{record.Summary()}");
        output.WriteLine("The chaos, as it went:\n" + monkey.Log);
        record.ThrowIfProblems($"{tasks} tasks on the {target.Store} store under chaos (seed {seed})");
    }

    /// <summary>
    /// The server stops while <paramref name="workers"/> processes run a pool, and starts again a couple of seconds later:
    /// the same processes reconnect and finish the run, every task succeeding exactly once. Commits cut off by the outage
    /// are reported by their workers as failed writes; their tasks are taken back when their leases go stale.
    /// </summary>
    protected async Task ServerRestartAsync(int tasks, int workers, Func<Task> stopServer, Func<Task> startServer)
    {
        var leases = new LeaseOptions { LeaseDuration = TimeSpan.FromSeconds(2), HeartbeatInterval = TimeSpan.FromMilliseconds(500) };
        var clock = TimeProvider.System.GetTimestamp();
        await using var target = await CreateTargetAsync("restart");
        await using var store = await target.OpenAsync(leases);
        await SubmitAsync(store, tasks, new RetryPolicy { MaxAttempts = 20, InitialDelay = TimeSpan.FromMilliseconds(50), Jitter = 0 });
        using var fleet = new WorkerFleet(new FleetSettings(
            target.Store, target.Connection, Concurrency: 4, leases, Work: TimeSpan.FromMilliseconds(10), IdleWait: TimeSpan.FromMilliseconds(200)));

        var running = TimeProvider.System.GetTimestamp();
        await fleet.StartReadyAsync(workers, ReadyTimeout);

        // Stop once a quarter of the pool succeeded, so that the outage cuts through a busy run.
        var beforeStop = (await WaitUntilAsync(store, fleet, TimeSpan.FromSeconds(120), "a quarter of the tasks to succeed",
            listed => listed.Count(t => t.State == TaskLifecycle.State.Succeeded) >= tasks / 4)).Count(t => t.State == TaskLifecycle.State.Succeeded);
        var stopping = TimeProvider.System.GetTimestamp();
        await stopServer();
        var stopTook = TimeProvider.System.GetElapsedTime(stopping);

        // The outage itself lasts a couple of seconds of real time: that is the scenario, not a wait for a condition.
        await Task.Delay(TimeSpan.FromSeconds(2), TimeProvider.System);
        var starting = TimeProvider.System.GetTimestamp();
        await startServer();
        var startTook = TimeProvider.System.GetElapsedTime(starting);
        var outage = TimeProvider.System.GetElapsedTime(stopping);
        var afterStart = (await store.ListTasksAsync(TaskLifecycle.State.Succeeded)).Count;
        await WaitUntilAllTerminalAsync(store, tasks, TimeSpan.FromSeconds(180), fleet);
        var ran = TimeProvider.System.GetElapsedTime(running);

        var died = fleet.All.Where(w => w.HasExited).Select(w => w.Describe()).ToList();
        Assert.True(died.Count == 0, $"{died.Count} worker(s) ended during the outage instead of reconnecting:{string.Concat(died)}");
        await fleet.StopAllAsync();

        var record = (await RunRecord.ReadAsync(store, fleet)).Check(tasks);
        if (afterStart >= tasks)
        {
            record.Problem("outage cut through no work", $"All {tasks} tasks had succeeded by the time the server was back ({beforeStop} before it stopped): the outage cut through no work.");
        }

        output.WriteLine($"{target.Store}: {tasks} tasks on {workers} processes ran in {ran.TotalSeconds:0.0} s "
            + $"({TimeProvider.System.GetElapsedTime(clock).TotalSeconds:0.0} s in all); the server stopped after {beforeStop} succeeded "
            + $"and was back {outage.TotalSeconds:0.0} s later "
            + $"(stopping took {stopTook.TotalSeconds:0.0} s, starting {startTook.TotalSeconds:0.0} s) "
            + $"with {afterStart} succeeded; {record.Events(TaskEventKind.AttemptStarted).Count()} attempts, "
            + $"{record.Events(TaskEventKind.Reclaimed).Count()} taken back, {record.Events(TaskEventKind.WriteRejected).Count()} rejected writes, "
            + $"{record.Reported(WorkerProtocol.Unwritten).Count()} writes failed.\n{record.Summary()}");
        record.ThrowIfProblems($"{tasks} tasks on the {target.Store} store through a server restart");
    }

    /// <summary>Writes the chaos log to the output; false, so that a failure passes on.</summary>
    private bool Report(ChaosMonkey monkey)
    {
        output.WriteLine("The chaos, as it went:\n" + monkey.Log);
        return false;
    }

    private static async Task SubmitAsync(IWeaverStore store, int count, RetryPolicy retry) =>
        await Parallel.ForEachAsync(
            Enumerable.Range(1, count),
            new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (number, cancellation) => await store.CreateTaskAsync(
                new NewTask(RunRecord.TaskId(number), WorkerProtocol.Kind, RunRecord.Input(number), retry), cancellation));

    private static void ExpectEachTaskOnce(RunRecord record, string kind, string what, int tasks)
    {
        var byTask = record.Reported(kind).GroupBy(r => r.Line.TaskId!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var (task, reports) in byTask.Where(p => p.Value.Count > 1))
        {
            record.Problem($"duplicate {what}", $"{task} is among the {what} {reports.Count} times: "
                + string.Join(", ", reports.Select(r => $"{r.Line.Owner} epoch {r.Line.Epoch}")));
        }

        var missing = Enumerable.Range(1, tasks).Select(RunRecord.TaskId).Where(id => !byTask.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            record.Problem($"missing {what}", $"{missing.Count} task(s) are missing from the workers' {what}: {string.Join(", ", missing.Take(20))}");
        }
    }

    /// <summary>
    /// Waits until no task is queued, running or scheduled for a retry (<see cref="RunRecord.Check"/> then counts them
    /// all). Only the tasks not yet ended are listed, so the polls get lighter as the run goes on.
    /// </summary>
    private static Task WaitUntilAllTerminalAsync(IWeaverStore store, int expected, TimeSpan timeout, WorkerFleet fleet, Task? alongside = null) =>
        WaitUntilAsync(store, fleet, timeout, $"all {expected} tasks to end", listed => listed.Count == 0, alongside, ListNotTerminalAsync);

    private static async Task<IReadOnlyList<StoredTask>> ListNotTerminalAsync(IWeaverStore store)
    {
        var queued = await store.ListTasksAsync(TaskLifecycle.State.Queued);
        var running = await store.ListTasksAsync(TaskLifecycle.State.Running);
        var retrying = await store.ListTasksAsync(TaskLifecycle.State.RetryScheduled);
        return [.. queued, .. running, .. retrying];
    }

    /// <summary>
    /// Lists the store's tasks (all of them, or those <paramref name="list"/> picks) every <see cref="PollInterval"/>
    /// until <paramref name="done"/> holds. Fails when <paramref name="timeout"/> passes (naming the tasks not yet
    /// terminal), when every worker has ended, or when <paramref name="alongside"/> (the chaos) fails. A listing that
    /// throws is tried again until the deadline.
    /// </summary>
    private static async Task<IReadOnlyList<StoredTask>> WaitUntilAsync(
        IWeaverStore store,
        WorkerFleet fleet,
        TimeSpan timeout,
        string what,
        Func<IReadOnlyList<StoredTask>, bool> done,
        Task? alongside = null,
        Func<IWeaverStore, Task<IReadOnlyList<StoredTask>>>? list = null)
    {
        var started = TimeProvider.System.GetTimestamp();
        var slow = new List<string>();
        IReadOnlyList<StoredTask> listed = [];
        Exception? lastError = null;
        while (true)
        {
            if (alongside is { IsFaulted: true })
            {
                await alongside;
            }

            try
            {
                var listing = TimeProvider.System.GetTimestamp();
                listed = list is null ? await store.ListTasksAsync() : await list(store);
                var took = TimeProvider.System.GetElapsedTime(listing);
                if (took > SlowListing)
                {
                    slow.Add($"{TimeProvider.System.GetElapsedTime(started).TotalSeconds:0.00} s: {took.TotalSeconds:0.00} s");
                }

                lastError = null;
                if (done(listed))
                {
                    return listed;
                }
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                lastError = error;
            }

            if (fleet.Alive.Count == 0)
            {
                Assert.Fail($"Every worker process ended while waiting for {what}.{Pending(listed, lastError)}{fleet.Describe()}");
            }

            if (TimeProvider.System.GetElapsedTime(started) > timeout)
            {
                Assert.Fail($"Waited {timeout.TotalSeconds:0} s for {what}, in vain.{Pending(listed, lastError)}"
                    + (slow.Count == 0 ? "" : $"\n  Listings that took over {SlowListing.TotalSeconds} s (when, how long): {string.Join("; ", slow)}")
                    + fleet.Describe());
            }

            await Task.Delay(PollInterval, TimeProvider.System);
        }
    }

    private static string Pending(IReadOnlyList<StoredTask> listed, Exception? lastError)
    {
        var pending = listed.Where(t => !t.IsTerminal).ToList();
        var text = new StringBuilder($" The store listed {listed.Count} tasks, {pending.Count} not terminal");
        text.Append(pending.Count == 0 ? "." : ", among them:");
        foreach (var task in pending.Take(20))
        {
            text.Append($"\n  {task.Id}: {task.State}, created {task.CreatedAt:HH:mm:ss.fff}, {task.Attempts} attempt(s), epoch {task.Epoch}, owner {task.Owner ?? "-"}, "
                + $"lease until {task.LeaseExpiresAt?.ToString("O") ?? "-"}, due {task.DueAt?.ToString("O") ?? "-"}");
        }

        foreach (var state in pending.GroupBy(t => t.State))
        {
            text.Append($"\n  {state.Count()} {state.Key}");
        }

        return lastError is null ? text.ToString() : text.Append($"\n  The last listing failed: {lastError.GetType().Name}: {lastError.Message}").ToString();
    }
}
