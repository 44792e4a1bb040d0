using Weaver.Sqlite;
using Weaver.Stores.Tests.Conformance;

namespace Weaver.Stores.Tests.Sqlite;

/// <summary>
/// Another connection holding the file's write lock: the store waits for it, and when it is held too long fails with a
/// clear error and changes nothing. These tests wait in real time, for a real connection, each with a deadline.
/// </summary>
public sealed class SqliteBusyTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly SqliteTestFolder _folder = new();
    private readonly StoreSetup _setup = StoreSetup.Default();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _folder.DisposeAsync();

    [Fact]
    public async Task A_write_lock_held_past_the_busy_timeout_and_the_retries_fails_clearly_and_changes_nothing()
    {
        await using var store = await SqliteWeaverStore.OpenAsync(_folder.Options(_setup) with { BusyTimeout = TimeSpan.Zero });
        await using var raw = await _folder.OpenRawAsync();
        await SqliteSchemaTests.ExecuteAsync(raw, "BEGIN IMMEDIATE");

        // The store's calls run SQLite synchronously, so the attempt runs on a thread of its own.
        var error = await Assert.ThrowsAsync<TimeoutException>(
            () => Task.Run(async () => await store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default))).WaitAsync(Deadline));

        Assert.Contains($"The SQLite database '{_folder.FilePath()}' stayed locked by another connection: creating a task", error.Message, StringComparison.Ordinal);
        Assert.Contains("4 times", error.Message, StringComparison.Ordinal); // one try and three retries
        Assert.Contains("SqliteStoreOptions.BusyTimeout", error.Message, StringComparison.Ordinal);
        await SqliteSchemaTests.ExecuteAsync(raw, "ROLLBACK");
        Assert.Null(await store.GetTaskAsync("t1"));
        Assert.NotNull(await store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default)));
    }

    [Fact]
    public async Task A_write_waits_for_another_connection_write_lock_and_goes_through_once_it_is_released()
    {
        await using var store = await SqliteWeaverStore.OpenAsync(_folder.Options(_setup));
        await using var raw = await _folder.OpenRawAsync();
        await SqliteSchemaTests.ExecuteAsync(raw, "BEGIN IMMEDIATE");

        var create = Task.Run(async () => await store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default)));
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(create.IsCompleted, "The write went through while another connection held the write lock.");
        await SqliteSchemaTests.ExecuteAsync(raw, "COMMIT");

        var created = await create.WaitAsync(Deadline);
        Assert.Equal(created.Id, (await store.GetTaskAsync("t1"))!.Id);
    }

    [Fact]
    public async Task Reads_go_on_while_another_connection_holds_the_write_lock()
    {
        await using var store = await SqliteWeaverStore.OpenAsync(_folder.Options(_setup) with { BusyTimeout = TimeSpan.Zero });
        await store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default));
        await using var raw = await _folder.OpenRawAsync();
        await SqliteSchemaTests.ExecuteAsync(raw, "BEGIN IMMEDIATE");
        await SqliteSchemaTests.ExecuteAsync(raw, "UPDATE tasks SET kind = 'uncommitted'");

        var read = await Task.Run(async () => await store.GetTaskAsync("t1")).WaitAsync(Deadline);

        Assert.Equal("echo", read!.Kind);
        await SqliteSchemaTests.ExecuteAsync(raw, "ROLLBACK");
    }
}
