using BenchmarkDotNet.Attributes;

namespace Weaver.Benchmarks.Stores;

/// <summary>The parameters every store benchmark shares: the claim's batch size and the tasks per invocation.</summary>
public abstract class StoreBenchmark
{
    /// <summary>The most tasks one claim takes.</summary>
    [Params(1, 10, 100)]
    public int Batch { get; set; }

    /// <summary>Tasks per invocation: 200, or 20 in a smoke run (which proves execution, not speed).</summary>
    [ParamsSource(nameof(TaskCounts))]
    public int Tasks { get; set; }

    /// <summary>
    /// The values of <see cref="Tasks"/>: 200 (two claims of the largest batch; Hangfire takes tens of milliseconds a
    /// job on a busy 2-core machine, so more would make its rows run for minutes), or 20 in a smoke run.
    /// </summary>
    public static IEnumerable<int> TaskCounts => Program.IsSmoke ? [20] : [200];
}
