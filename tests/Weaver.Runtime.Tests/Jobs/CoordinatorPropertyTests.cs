using System.Collections.Concurrent;
using CsCheck;

namespace Weaver.Runtime.Tests.Jobs;

/// <summary>Random DAGs, run for real by a worker group through the coordinator.</summary>
public sealed class CoordinatorPropertyTests
{
    [Fact]
    public async Task Random_dags_always_succeed_and_every_task_starts_after_all_of_its_dependencies_finished()
    {
        var clock = 0L;
        var started = new ConcurrentDictionary<string, long>();
        var finished = new ConcurrentDictionary<string, long>();
        var jobs = 0;
        await using var f = new JobFixture((task, context) =>
        {
            started[context.TaskId] = Interlocked.Increment(ref clock);
            finished[context.TaskId] = Interlocked.Increment(ref clock);
            return ValueTask.FromResult<object?>(task);
        });

        await JobGraphPropertyTests.Dag.SampleAsync(async dag =>
        {
            var spec = JobGraphPropertyTests.ToSpec(dag) with { Id = $"dag{Interlocked.Increment(ref jobs)}" };
            var id = await f.Coordinator.SubmitJobAsync(spec);
            var result = await f.Coordinator.WaitForJobAsync(id);

            string Key(string task) => $"{id}/{task}";
            return result.State == JobLifecycle.State.Succeeded
                && result.Results.Count == dag.Ids.Count
                && dag.Ids.All(task => dag[task].All(dependency => started[Key(task)] > finished[Key(dependency)]))
                && (await f.Coordinator.WatchAsync(id).ToListAsync())[^1].Kind == JobEventKind.JobSucceeded;
        }, iter: 100);
    }
}
