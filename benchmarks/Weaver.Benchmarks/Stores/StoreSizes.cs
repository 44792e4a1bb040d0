namespace Weaver.Benchmarks.Stores;

/// <summary>The sizes the store benchmarks share.</summary>
public static class StoreSizes
{
    /// <summary>Tasks per invocation: 1,000 (ten claims of the largest batch), or 20 in a smoke run.</summary>
    public static IEnumerable<int> TaskCounts => Program.IsSmoke ? [20] : [1_000];
}
