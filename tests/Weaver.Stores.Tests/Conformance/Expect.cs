namespace Weaver.Stores.Tests.Conformance;

/// <summary>Assertions the conformance classes share.</summary>
public static class Expect
{
    /// <summary>Every field of two tasks is equal (the resource lists by content).</summary>
    /// <param name="expected">The expected task.</param>
    /// <param name="actual">The actual task.</param>
    public static void SameTask(StoredTask expected, StoredTask actual)
    {
        Assert.Equal(expected.Resources, actual.Resources);
        Assert.Equal(expected with { Resources = [] }, actual with { Resources = [] });
        AssertUtc(actual);
    }

    /// <summary>Every field of two attempts is equal (the resource lists by content).</summary>
    /// <param name="expected">The expected attempt.</param>
    /// <param name="actual">The actual attempt.</param>
    public static void SameAttempt(StoredAttempt expected, StoredAttempt actual)
    {
        Assert.Equal(expected.Resources, actual.Resources);
        Assert.Equal(expected with { Resources = [] }, actual with { Resources = [] });
        Assert.Equal(TimeSpan.Zero, actual.ExpiresAt.Offset);
    }

    /// <summary>Two histories are equal event by event, every field, each time in UTC.</summary>
    /// <param name="expected">The expected events.</param>
    /// <param name="actual">The actual events.</param>
    public static void SameHistory(IEnumerable<TaskEvent> expected, IReadOnlyList<TaskEvent> actual)
    {
        var want = expected.ToList();
        for (var i = 0; i < Math.Min(want.Count, actual.Count); i++)
        {
            Assert.True(want[i] == actual[i], $"Event {i} differs.\nExpected: {want[i]}\nActual:   {actual[i]}");
            Assert.Equal(TimeSpan.Zero, actual[i].At.Offset);
        }

        Assert.True(want.Count == actual.Count,
            $"Expected {want.Count} events, got {actual.Count}:\n{string.Join("\n", actual)}");
    }

    /// <summary>The history is <paramref name="before"/> plus exactly <paramref name="added"/>.</summary>
    /// <param name="before">The history before.</param>
    /// <param name="added">The events that should have been added.</param>
    /// <param name="actual">The history now.</param>
    public static void Appended(IReadOnlyList<TaskEvent> before, IEnumerable<TaskEvent> added, IReadOnlyList<TaskEvent> actual) =>
        SameHistory(before.Concat(added), actual);

    /// <summary>Every timestamp of the task is UTC (offset zero).</summary>
    /// <param name="task">The task.</param>
    public static void AssertUtc(StoredTask task)
    {
        Assert.Equal(TimeSpan.Zero, task.CreatedAt.Offset);
        Assert.Equal(TimeSpan.Zero, task.LeaseExpiresAt?.Offset ?? TimeSpan.Zero);
        Assert.Equal(TimeSpan.Zero, task.DueAt?.Offset ?? TimeSpan.Zero);
    }
}
