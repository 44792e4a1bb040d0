using System.Globalization;

namespace Weaver.Benchmarks.Stores;

/// <summary>
/// What the store benchmarks do through Weaver's <see cref="IWeaverStore"/>, the same on every store: queue tasks, then
/// claim them <c>batch</c> at a time and complete each, as one worker loop does.
/// </summary>
public static class WeaverStoreWork
{
    /// <summary>The kind of every benchmark task.</summary>
    public const string Kind = "bench-no-op";

    /// <summary>The worker that claims them.</summary>
    public const string Owner = "bench-worker";

    private static readonly string[] Kinds = [Kind];

    /// <summary>Queues <paramref name="count"/> tasks, one <see cref="IWeaverStore.CreateTaskAsync"/> each; the input is the task's number.</summary>
    /// <param name="store">The store.</param>
    /// <param name="idPrefix">Makes the ids unique in the store: each is the prefix and the task's number.</param>
    /// <param name="count">How many.</param>
    /// <returns>A task that completes when all are stored.</returns>
    public static async Task QueueAsync(IWeaverStore store, string idPrefix, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var number = i.ToString(CultureInfo.InvariantCulture);
            await store.CreateTaskAsync(new NewTask(idPrefix + "-" + number, Kind, number, RetryPolicy.Default)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Claims up to <paramref name="batch"/> tasks at a time (<see cref="IWeaverStore.ClaimAsync"/>) and completes each
    /// (<see cref="IWeaverStore.CompleteAsync"/>, with its input as the result), until <paramref name="count"/> are done.
    /// Throws when the store runs out of tasks first, claims more than asked, rejects a commit, or hands out a task twice.
    /// </summary>
    /// <param name="store">The store, holding exactly <paramref name="count"/> runnable tasks.</param>
    /// <param name="batch">The most tasks one claim takes.</param>
    /// <param name="count">How many tasks to process.</param>
    /// <returns>The sum of the tasks' numbers, read back from the claimed inputs.</returns>
    public static async Task<long> ClaimAndCompleteAsync(IWeaverStore store, int batch, int count)
    {
        var done = 0;
        var sum = 0L;
        while (done < count)
        {
            var attempts = await store.ClaimAsync(Owner, batch, Kinds).ConfigureAwait(false);
            if (attempts.Count == 0 || attempts.Count > batch)
            {
                throw new InvalidOperationException(
                    $"A claim of at most {batch} returned {attempts.Count} attempts after {done} of {count} tasks were done.");
            }

            foreach (var attempt in attempts)
            {
                if (!await store.CompleteAsync(attempt, attempt.Input, cost: 0m).ConfigureAwait(false))
                {
                    throw new InvalidOperationException($"Task '{attempt.TaskId}': the commit was rejected though its lease was just taken.");
                }

                sum += long.Parse(attempt.Input!, CultureInfo.InvariantCulture);
            }

            done += attempts.Count;
        }

        return RunCheck.Verify("Weaver's store", count, done, sum);
    }
}
