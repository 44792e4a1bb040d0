namespace Weaver.Benchmarks.Stores;

/// <summary>The sizes the store benchmarks share.</summary>
public static class StoreSizes
{
    /// <summary>
    /// Tasks per invocation: 200 (two claims of the largest batch; Hangfire takes tens of milliseconds a job on a busy
    /// 2-core machine, so more would make its rows run for minutes), or 20 in a smoke run.
    /// </summary>
    public static IEnumerable<int> TaskCounts => Program.IsSmoke ? [20] : [200];
}
