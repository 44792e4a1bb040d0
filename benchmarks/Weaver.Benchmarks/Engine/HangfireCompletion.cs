using Hangfire.States;
using Hangfire.Storage;

namespace Weaver.Benchmarks.Engine;

/// <summary>
/// Counts Hangfire jobs as Hangfire moves them to <see cref="SucceededState"/> (called inside that state change's
/// storage transaction), and completes <see cref="AllDone"/> when the expected number have: how the benchmark waits for all.
/// </summary>
public sealed class HangfireCompletion : IApplyStateFilter
{
    private int _remaining;
    private TaskCompletionSource _allDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when every job of the current round succeeded.</summary>
    public Task AllDone => Volatile.Read(ref _allDone).Task;

    /// <summary>Starts a round of <paramref name="jobs"/> jobs.</summary>
    /// <param name="jobs">How many jobs must succeed; at least 1.</param>
    public void Expect(int jobs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(jobs, 1);
        Volatile.Write(ref _allDone, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        Volatile.Write(ref _remaining, jobs);
    }

    /// <inheritdoc/>
    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        if (context.NewState is SucceededState && Interlocked.Decrement(ref _remaining) == 0)
        {
            Volatile.Read(ref _allDone).TrySetResult();
        }
    }

    /// <inheritdoc/>
    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }
}

/// <summary>The job Hangfire runs: nothing.</summary>
public static class HangfireNoOp
{
    /// <summary>Does nothing.</summary>
    /// <param name="input">The job's argument, like the Weaver task's input.</param>
    public static void Run(int input) => GC.KeepAlive(input);
}
