namespace Weaver.Benchmarks.Stores;

/// <summary>
/// The check every store benchmark makes after its loop: each of the tasks numbered 0 to count - 1 was processed exactly
/// once, so a system that lost or repeated work cannot report a good time.
/// </summary>
public static class RunCheck
{
    /// <summary>Returns <paramref name="sum"/> when <paramref name="done"/> tasks summing to <paramref name="sum"/> are exactly the tasks 0 to count - 1; throws otherwise.</summary>
    /// <param name="system">Which system ran, for the message.</param>
    /// <param name="count">How many tasks were queued, numbered from 0.</param>
    /// <param name="done">How many it processed.</param>
    /// <param name="sum">The sum of the numbers of the tasks it processed.</param>
    /// <returns><paramref name="sum"/>.</returns>
    public static long Verify(string system, int count, int done, long sum)
    {
        var expected = (long)count * (count - 1) / 2;
        return done == count && sum == expected
            ? sum
            : throw new InvalidOperationException($"{system} processed {done} tasks summing to {sum}; {count} tasks summing to {expected} were queued.");
    }
}
