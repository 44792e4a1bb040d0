using Microsoft.Extensions.Logging;
using Weaver.Sqlite;
using Weaver.Stores.Tests.Conformance;

namespace Weaver.Stores.Tests.Sqlite;

/// <summary>
/// Rows this version cannot read, made with raw SQL: reading one names it, lists and sweeps skip it with a warning, and
/// the other rows keep working.
/// </summary>
public sealed class SqliteBadRowTests : IAsyncLifetime
{
    private readonly SqliteTestFolder _folder = new();
    private readonly StoreSetup _setup = StoreSetup.Default();
    private SqliteWeaverStore _store = null!;

    public async Task InitializeAsync() =>
        _store = await SqliteWeaverStore.OpenAsync(_folder.Options(_setup) with { LoggerFactory = _setup.Logs });

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _folder.DisposeAsync();
    }

    [Fact]
    public async Task An_unknown_state_is_named_by_get_and_skipped_with_a_warning_by_list()
    {
        await _store.CreateTaskAsync(new NewTask("good", "echo", null, RetryPolicy.Default));
        await _store.CreateTaskAsync(new NewTask("bad", "echo", null, RetryPolicy.Default));
        await CorruptAsync("UPDATE tasks SET state = 'Paused' WHERE id = 'bad'");

        var error = await Assert.ThrowsAsync<StoreRowException>(() => _store.GetTaskAsync("bad").AsTask());
        var listed = await _store.ListTasksAsync();

        Assert.Equal(("tasks", "bad"), (error.Table, error.RowId));
        Assert.Equal(StoreRowException.UnknownTaskState("tasks", "bad", "Paused").Message, error.Message);
        Assert.Equal(["good"], listed.Select(t => t.Id));
        var warning = Assert.Single(_setup.Logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("Row 'bad' of 'tasks'", warning.Message, StringComparison.Ordinal);
        Assert.Contains("'Paused'", warning.Message, StringComparison.Ordinal);
        Assert.Equal(["good"], (await _store.ClaimAsync("w1", 5, ["echo"])).Select(a => a.TaskId));
    }

    [Theory]
    [InlineData("UPDATE tasks SET state = '2' WHERE id = 'bad'", "state '2'")]
    [InlineData("UPDATE tasks SET state = 'Queued, Running' WHERE id = 'bad'", "state 'Queued, Running'")]
    [InlineData("UPDATE tasks SET state = 'queued' WHERE id = 'bad'", "state 'queued'")]
    [InlineData("UPDATE tasks SET cost = 'lots' WHERE id = 'bad'", "column 'cost' holds 'lots'")]
    [InlineData("UPDATE tasks SET attempts = 'three' WHERE id = 'bad'", "column 'attempts' holds 'three'")]
    [InlineData("UPDATE tasks SET retry_max_attempts = 0 WHERE id = 'bad'", "retry columns do not make a valid retry policy")]
    [InlineData("UPDATE tasks SET created_at = -5 WHERE id = 'bad'", "column 'created_at' holds -5")]
    [InlineData("UPDATE tasks SET job_id = 'j', job_task_id = ' ' WHERE id = 'bad'", "'job_task_id' (' ')")]
    public async Task Every_unreadable_column_is_named(string corruption, string named)
    {
        await _store.CreateTaskAsync(new NewTask("bad", "echo", null, RetryPolicy.Default));
        await CorruptAsync(corruption);

        var error = await Assert.ThrowsAsync<StoreRowException>(() => _store.GetTaskAsync("bad").AsTask());

        Assert.Equal("bad", error.RowId);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Empty(await _store.ListTasksAsync());
    }

    [Fact]
    public async Task A_claim_skips_an_unreadable_candidate_and_claims_the_next()
    {
        await _store.CreateTaskAsync(new NewTask("bad", "echo", null, RetryPolicy.Default));
        await _store.CreateTaskAsync(new NewTask("good", "echo", null, RetryPolicy.Default));
        await CorruptAsync("UPDATE tasks SET attempts = 'x' WHERE id = 'bad'");

        var claimed = await _store.ClaimAsync("w1", 2, ["echo"]);

        Assert.Equal(["good"], claimed.Select(a => a.TaskId));
        Assert.Contains(_setup.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Row 'bad' of 'tasks'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sweep_skips_an_unreadable_stale_task_and_takes_back_the_others()
    {
        await _store.CreateTaskAsync(new NewTask("bad", "echo", null, RetryPolicy.Default));
        await _store.CreateTaskAsync(new NewTask("good", "echo", null, RetryPolicy.Default));
        Assert.Equal(2, (await _store.ClaimAsync("w1", 2, ["echo"])).Count);
        await CorruptAsync("UPDATE tasks SET retry_multiplier = 0.5 WHERE id = 'bad'");
        _setup.Time.Advance(_setup.Leases.StaleAfter + TimeSpan.FromTicks(1));

        Assert.Equal(1, await _store.SweepAsync());

        Assert.Equal(TaskLifecycle.State.Queued, (await _store.GetTaskAsync("good"))!.State);
        Assert.Contains(_setup.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("sweeping", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_event_kind_is_named_by_the_history()
    {
        await _store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default));
        await CorruptAsync("UPDATE task_events SET kind = 'Exploded' WHERE task_id = 't1'");

        var error = await Assert.ThrowsAsync<StoreRowException>(() => _store.GetHistoryAsync("t1").AsTask());

        Assert.Equal("task_events", error.Table);
        Assert.Contains("kind 'Exploded' is not an event kind", error.Message, StringComparison.Ordinal);
    }

    private async Task CorruptAsync(string sql)
    {
        await using var raw = await _folder.OpenRawAsync();
        await SqliteSchemaTests.ExecuteAsync(raw, sql);
    }
}
