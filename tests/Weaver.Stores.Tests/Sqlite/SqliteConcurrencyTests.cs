using System.Collections.Concurrent;
using Weaver.Sqlite;
using Weaver.Stores.Tests.Conformance;

namespace Weaver.Stores.Tests.Sqlite;

/// <summary>
/// Several stores (separate connections, as separate processes would have) on one file, on threads of their own: every
/// task is claimed exactly once, and every commit lands once.
/// </summary>
public sealed class SqliteConcurrencyTests : IAsyncLifetime
{
    private const int Tasks = 500;
    private const int Workers = 8;
    private readonly SqliteTestFolder _folder = new();
    private readonly StoreSetup _setup = StoreSetup.Default();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _folder.DisposeAsync();

    [Fact]
    public async Task Separate_stores_claiming_500_tasks_at_once_claim_each_exactly_once()
    {
        await using (var creator = await SqliteWeaverStore.OpenAsync(_folder.Options(_setup)))
        {
            for (var i = 0; i < Tasks; i++)
            {
                await creator.CreateTaskAsync(new NewTask($"t{i:D3}", "echo", $"{{\"n\":{i}}}", RetryPolicy.Default));
            }
        }

        var claims = new ConcurrentBag<(string Worker, StoredAttempt Attempt)>();
        var committed = new ConcurrentBag<string>();
        using var start = new Barrier(Workers);
        var workers = Enumerable.Range(0, Workers)
            .Select(index => Task.Factory.StartNew(
                () => Work($"w{index}", index, start, claims, committed),
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default))
            .ToArray();

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(2));

        var claimedIds = claims.Select(c => c.Attempt.TaskId).ToList();
        Assert.Equal(Tasks, claimedIds.Count);
        Assert.Equal(Tasks, claimedIds.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Tasks, committed.Count);
        Assert.True(claims.Select(c => c.Worker).Distinct().Count() > 1, "Only one worker claimed anything: the test did not run the claims concurrently.");
        await using var reader = await SqliteWeaverStore.OpenAsync(_folder.Options(_setup));
        var tasks = await reader.ListTasksAsync();
        Assert.Equal(Tasks, tasks.Count);
        Assert.All(tasks, task => Assert.Equal((TaskLifecycle.State.Succeeded, 1, 1L), (task.State, task.Attempts, task.Epoch)));
        foreach (var (worker, attempt) in claims)
        {
            var history = await reader.GetHistoryAsync(attempt.TaskId);
            Assert.Equal(
                [TaskEventKind.Submitted, TaskEventKind.AttemptStarted, TaskEventKind.Succeeded],
                history.Select(e => e.Kind));
            Assert.Equal(worker, history[1].Owner);
        }
    }

    private void Work(string name, int index, Barrier start, ConcurrentBag<(string, StoredAttempt)> claims, ConcurrentBag<string> committed)
    {
        // Each worker has its own store, so its own connections, as another process would.
        var store = _folder.Store(_folder.Options(_setup));
        var batch = 1 + (index % 4);
        try
        {
            while (true)
            {
                // Every round, all workers still working claim at the same moment: SQLite's busy handler is not fair, and on
                // a loaded machine one worker that commits and claims again at once could otherwise take every task alone.
                if (!start.SignalAndWait(TimeSpan.FromSeconds(30)))
                {
                    throw new TimeoutException($"{name}: the other workers did not reach the round's start within 30 s.");
                }

                var attempts = store.ClaimAsync(name, batch, ["echo"]).AsTask().GetAwaiter().GetResult();
                if (attempts.Count == 0)
                {
                    return;
                }

                foreach (var attempt in attempts)
                {
                    claims.Add((name, attempt));
                    if (store.CompleteAsync(attempt, attempt.Input, 0.01m).AsTask().GetAwaiter().GetResult())
                    {
                        committed.Add(attempt.TaskId);
                    }
                }
            }
        }
        finally
        {
            // Done or failed, the others stop waiting for this worker; a failure is then what the test reports.
            start.RemoveParticipant();
        }
    }
}
