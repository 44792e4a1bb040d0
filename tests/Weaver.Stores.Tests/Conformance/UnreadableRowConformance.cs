using Microsoft.Extensions.Logging;

namespace Weaver.Stores.Tests.Conformance;

/// <summary>
/// The contract's unreadable rows (contract 10): a task row whose state is not a task state. Reading it throws an error
/// that names the row; listing leaves it out and logs a warning that names it; claims and sweeps go on around it. Only
/// providers whose rows can hold such a state derive from this suite (the in-memory engine keeps its state as an enum).
/// </summary>
/// <param name="provider">The provider under test; it overrides <see cref="StoreProvider.CorruptTaskStateAsync"/>.</param>
public abstract class UnreadableRowConformance(StoreProvider provider) : StoreTests(provider)
{
    [StoreFact]
    public async Task Reading_a_row_with_an_unknown_state_throws_an_error_that_names_the_row_and_the_state()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("broken");
        await Provider.CorruptTaskStateAsync(s.Store, "broken", "Paused");

        var error = await Assert.ThrowsAsync<StoreRowException>(async () => await s.Store.GetTaskAsync("broken"));

        var expected = StoreRowException.UnknownTaskState(Provider.TaskTable, "broken", "Paused");
        Assert.Equal(expected.Message, error.Message);
        Assert.Equal("broken", error.RowId);
        Assert.Equal(Provider.TaskTable, error.Table);
        Assert.Contains("'Paused'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Queued, Running, RetryScheduled, Succeeded, Dead, Cancelled", error.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Listing_leaves_the_row_out_and_logs_a_warning_that_names_it()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("a");
        await s.CreateAsync("broken");
        await s.CreateAsync("c");
        await Provider.CorruptTaskStateAsync(s.Store, "broken", "running"); // the right name in the wrong case is unknown too

        Assert.Equal(["a", "c"], (await s.Store.ListTasksAsync()).Select(t => t.Id));
        Assert.Equal(["a", "c"], (await s.Store.ListTasksAsync(TaskLifecycle.State.Queued)).Select(t => t.Id));

        var warnings = s.Setup.Logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.Contains("'broken'", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(warnings);
        Assert.All(warnings, warning => Assert.Contains("'running'", warning.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(s.Setup.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("'a'", StringComparison.Ordinal));
    }

    [StoreFact]
    public async Task Claims_and_sweeps_go_on_around_the_row()
    {
        await using var s = await OpenAsync();
        await s.CreateAsync("broken");
        await s.CreateAsync("fine");
        await Provider.CorruptTaskStateAsync(s.Store, "broken", "Frozen");

        var attempt = await s.ClaimOneAsync();
        Assert.Equal("fine", attempt.TaskId);
        s.GoStale();
        Assert.Equal(1, await s.Store.SweepAsync());
        Assert.False(await s.Store.CancelAsync("broken"));
        Assert.Equal(TaskLifecycle.State.Queued, (await s.GetAsync("fine")).State);
    }
}
