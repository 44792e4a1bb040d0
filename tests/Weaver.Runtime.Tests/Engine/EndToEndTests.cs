using System.Collections.Concurrent;

namespace Weaver.Runtime.Tests.Engine;

/// <summary>
/// 10,000 tasks through a worker group on simulated time: some handlers throw, some run longer than their lease,
/// and a zombie worker grabs tasks and never heartbeats. Every task ends terminal, none commits twice, and every
/// write the zombie attempts after losing its leases is rejected.
/// </summary>
public sealed class EndToEndTests
{
    private const int TaskCount = 10_000;

    [Fact]
    public async Task Ten_thousand_tasks_end_terminal_with_exactly_one_commit_each()
    {
        var runs = new ConcurrentDictionary<int, int>();
        var leases = new LeaseOptions { LeaseDuration = TimeSpan.FromSeconds(30), HeartbeatInterval = TimeSpan.FromSeconds(10), StaleAfterMissedHeartbeats = 1 };
        EngineFixture? fixture = null;
        var f = fixture = new EngineFixture(
            async (input, context) =>
            {
                var run = runs.AddOrUpdate(input, 1, static (_, n) => n + 1);
                if (input % 500 == 0)
                {
                    throw new InvalidOperationException($"task {input} always fails");
                }

                if (input % 10 == 3 && run == 1)
                {
                    throw new TimeoutException($"task {input} fails its first attempt");
                }

                if (input % 100 == 7)
                {
                    // Longer than the lease: the heartbeats keep it.
                    await Task.Delay(leases.StaleAfter * 2, fixture!.Time, context.CancellationToken);
                }

                return input;
            },
            new RetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.FromSeconds(1), Jitter = 0 },
            leases);

        var ids = Enumerable.Range(0, TaskCount).Select(i => f.Engine.Submit(EngineFixture.Kind, i, id: $"t{i}")).ToArray();

        // The zombie takes 50 tasks first and then never heartbeats.
        var zombie = new List<TaskAttempt>();
        while (zombie.Count < 50 && f.Engine.Queue.TryDequeue(out var id))
        {
            zombie.Add(f.Start(id, "zombie"));
        }

        const int concurrency = 8;
        await using var group = new WorkerGroup(f.Engine, new WorkerGroupOptions { Concurrency = concurrency, Name = "fleet" });
        group.Start();
        var all = Task.WhenAll(ids.Select(id => f.Engine.WaitForCompletionAsync(id)));

        // Drive simulated time whenever no work is ready or every worker is busy (long handlers wait on the clock),
        // until every task has ended; the budget turns a hang into a failure.
        for (var step = 0; !all.IsCompleted; step++)
        {
            Assert.True(step < 5_000_000, $"Not every task ended: {f.Engine.All().Count(t => !t.IsTerminal)} still open.");
            if (f.Engine.Queue.ReadyCount == 0 || group.Running == concurrency)
            {
                f.Time.Advance(TimeSpan.FromMilliseconds(500));
            }

            await Task.Yield();
        }

        await all;
        foreach (var attempt in zombie)
        {
            Assert.False(f.Engine.TryComplete(attempt, -1), $"zombie commit of {attempt.TaskId} accepted");
        }

        var tasks = f.Engine.All();

        Assert.All(tasks, t => Assert.True(t.IsTerminal));
        Assert.All(tasks, t => Assert.True(t.History.Count(e => e.Kind == TaskEventKind.Succeeded) <= 1, $"{t.Id} committed twice"));
        Assert.Equal(TaskCount / 500, tasks.Count(t => t.State == TaskLifecycle.State.Dead));
        Assert.Equal(TaskCount - (TaskCount / 500), tasks.Count(t => t.State == TaskLifecycle.State.Succeeded));
        Assert.All(tasks.Where(t => t.State == TaskLifecycle.State.Succeeded), t => Assert.Equal(int.Parse(t.Id[1..]), t.Result));

        var zombieIds = zombie.Select(a => a.TaskId).ToHashSet();
        Assert.All(tasks.Where(t => zombieIds.Contains(t.Id)), t =>
        {
            Assert.Contains(t.History, e => e.Kind == TaskEventKind.Reclaimed);
            Assert.Contains(t.History, e => e.Kind == TaskEventKind.WriteRejected && e.Owner == "zombie");
        });

        // Long runs kept their lease: none of them ran twice (they never fail otherwise).
        Assert.All(Enumerable.Range(0, TaskCount).Where(i => i % 100 == 7), i => Assert.Equal(1, runs[i]));
    }
}
