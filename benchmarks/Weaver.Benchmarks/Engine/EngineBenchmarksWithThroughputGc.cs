using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;

namespace Weaver.Benchmarks.Engine;

/// <summary>
/// <see cref="EngineBenchmarks"/> again, every system in a process whose garbage collector is tuned for throughput rather
/// than pause times: workstation GC without background collections (<c>&lt;ConcurrentGarbageCollection&gt;false&lt;/ConcurrentGarbageCollection&gt;</c>),
/// the setting a worker service that holds many live tasks should use.
/// </summary>
/// <remarks>
/// With background collections on (.NET's default for an app) the first generation's budget is capped at a few
/// megabytes, so a batch of ten thousand live tasks is copied from generation to generation many times over: on a small
/// machine that copying, not the engine's own work, is most of each task's time. Without them the budget grows with the
/// cache, and most tasks are dead before a collection finds them. Both runs are published (<c>benchmarks/README.md</c>).
/// </remarks>
[ThroughputGc]
public class EngineBenchmarksWithThroughputGc : EngineBenchmarks
{
    /// <summary>
    /// Background GC off, set in the build as an application's project sets it. The build property is what matters:
    /// BenchmarkDotNet builds one executable for every job whose build is the same, and a GC setting alone does not make
    /// a build differ, so in a run of the whole suite this class would otherwise run with the default GC.
    /// </summary>
    private sealed class ThroughputGcAttribute() : JobMutatorConfigBaseAttribute(
        new Job().WithGcConcurrent(false).WithArguments([new MsBuildArgument("/p:ConcurrentGarbageCollection=false")]));
}
