using Microsoft.Data.Sqlite;
using Weaver.Sqlite;
using Weaver.Stores.Tests.Conformance;

namespace Weaver.Stores.Tests.Sqlite;

/// <summary>The file itself: WAL, foreign keys, versioned migrations applied once, integer timestamps, a clear error for a bad path.</summary>
public sealed class SqliteSchemaTests : IAsyncLifetime
{
    private readonly SqliteTestFolder _folder = new();
    private readonly StoreSetup _setup = StoreSetup.Default();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _folder.DisposeAsync();

    [Fact]
    public async Task Opening_builds_the_schema_once_in_wal_mode_and_reopening_changes_nothing()
    {
        await using (var first = await SqliteWeaverStore.OpenAsync(_folder.Options(_setup)))
        {
            await first.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default));
        }

        var before = await SchemaAsync();
        await using (var second = await SqliteWeaverStore.OpenAsync(_folder.Options(_setup)))
        {
            Assert.NotNull(await second.GetTaskAsync("t1"));
        }

        await using var raw = await _folder.OpenRawAsync();
        Assert.Equal("wal", await ScalarAsync(raw, "PRAGMA journal_mode"));
        Assert.Equal([1L, 2L], await ColumnAsync(raw, "SELECT version FROM schema_version ORDER BY version"));
        Assert.Equal(before, await SchemaAsync());
        Assert.Contains(before, entry => entry.StartsWith("table|tasks|", StringComparison.Ordinal));
        Assert.Contains(before, entry => entry.StartsWith("table|resource_locks|", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stores_opening_a_fresh_file_at_once_apply_each_migration_exactly_once()
    {
        const int Stores = 6;
        using var start = new Barrier(Stores);
        // Threads of their own: a barrier would hold pool threads while the pool grows.
        var opened = Enumerable.Range(0, Stores)
            .Select(_ => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait(TimeSpan.FromSeconds(30));
                    return SqliteWeaverStore.OpenAsync(_folder.Options(_setup)).GetAwaiter().GetResult();
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default))
            .ToArray();

        var stores = await Task.WhenAll(opened).WaitAsync(TimeSpan.FromSeconds(60));
        try
        {
            await using var raw = await _folder.OpenRawAsync();
            Assert.Equal([1L, 2L], await ColumnAsync(raw, "SELECT version FROM schema_version ORDER BY version"));
            Assert.Equal("ok", await ScalarAsync(raw, "PRAGMA integrity_check"));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_file_written_by_a_newer_schema_is_refused_with_both_versions_named()
    {
        await (await SqliteWeaverStore.OpenAsync(_folder.Options(_setup))).DisposeAsync();
        await using (var raw = await _folder.OpenRawAsync())
        {
            await ExecuteAsync(raw, "INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'from the future', 0)");
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SqliteWeaverStore.OpenAsync(_folder.Options(_setup)));

        Assert.Contains("schema version 99, newer than this Weaver.Sqlite knows (2)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_at_schema_version_1_is_migrated_and_its_tasks_run_without_a_trace_context()
    {
        await using (var raw = await _folder.OpenRawAsync())
        {
            await ExecuteAsync(raw, "PRAGMA journal_mode = WAL");
            await ExecuteAsync(raw, "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)");
            await ExecuteAsync(raw, SqliteSchema.Migrations[0].Sql);
            await ExecuteAsync(raw, "INSERT INTO schema_version (version, description, applied_at) VALUES (1, 'v1', 0)");
            await ExecuteAsync(raw, """
                INSERT INTO tasks (id, kind, state, input, attempts, epoch, cost, retry_max_attempts, retry_initial_delay, retry_multiplier,
                                   retry_max_delay, retry_jitter, created_at)
                VALUES ('old', 'echo', 'Queued', '{}', 0, 0, '0', 3, 10000000, 2.0, 3000000000, 0.0, 0)
                """);
        }

        await using var store = await SqliteWeaverStore.OpenAsync(_folder.Options(_setup));
        const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        await store.CreateTaskAsync(new NewTask("new", "echo", "{}", RetryPolicy.Default) { TraceParent = TraceParent });
        var claimed = await store.ClaimAsync("w1", 2, ["echo"]);

        await using var check = await _folder.OpenRawAsync();
        Assert.Equal([1L, 2L], await ColumnAsync(check, "SELECT version FROM schema_version ORDER BY version"));
        Assert.Equal(["old", "new"], claimed.Select(attempt => attempt.TaskId));
        Assert.Null(claimed[0].TraceParent);
        Assert.Equal(TraceParent, claimed[1].TraceParent);
    }

    [Fact]
    public async Task A_path_in_a_missing_folder_fails_with_the_path_and_what_is_needed()
    {
        var options = _folder.Options(_setup) with { Path = Path.Combine(_folder.FolderPath, "missing", "weaver.db") };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SqliteWeaverStore.OpenAsync(options));

        Assert.Contains(options.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("its folder must exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timestamps_are_stored_as_integer_utc_ticks()
    {
        await using var store = await SqliteWeaverStore.OpenAsync(_folder.Options(_setup));
        await store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default));
        var attempt = Assert.Single(await store.ClaimAsync("w1", 1, ["echo"]));

        await using var raw = await _folder.OpenRawAsync();
        await using var command = raw.CreateCommand();
        command.CommandText = "SELECT typeof(lease_expires_at), lease_expires_at, typeof(created_at), created_at FROM tasks";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("integer", attempt.ExpiresAt.UtcTicks), (reader.GetString(0), reader.GetInt64(1)));
        Assert.Equal(("integer", _setup.Time.GetUtcNow().UtcTicks), (reader.GetString(2), reader.GetInt64(3)));
    }

    [Fact]
    public async Task Foreign_keys_are_enforced_on_the_store_connections()
    {
        await using var store = await SqliteWeaverStore.OpenAsync(_folder.Options(_setup));
        await store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default));
        var attempt = Assert.Single(await store.ClaimAsync("w1", 1, ["echo"]));

        // A write for a task that does not exist records nothing: there is no history to add a rejection to.
        Assert.False(await store.CompleteAsync(attempt with { TaskId = "nobody" }, null, 0m));

        await using var raw = await _folder.OpenRawAsync();
        await ExecuteAsync(raw, "PRAGMA foreign_keys = ON");
        var error = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(
            raw, "INSERT INTO task_events (task_id, at, kind, attempt, epoch, detail) VALUES ('nobody', 0, 'Submitted', 0, 0, 'x')"));
        Assert.Contains("FOREIGN KEY", error.Message, StringComparison.Ordinal);
        Assert.Empty(await ColumnAsync(raw, "SELECT task_id FROM task_events WHERE task_id = 'nobody'"));
    }

    /// <summary>Every table, index and trigger with its SQL, so a test can tell the schema was not changed.</summary>
    internal static async Task<IReadOnlyList<string>> SchemaAsync(SqliteConnection raw)
    {
        await using var command = raw.CreateCommand();
        command.CommandText = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name";
        await using var reader = await command.ExecuteReaderAsync();
        var entries = new List<string>();
        while (await reader.ReadAsync())
        {
            entries.Add($"{reader.GetString(0)}|{reader.GetString(1)}|{reader.GetString(2)}|{(reader.IsDBNull(3) ? "" : reader.GetString(3))}");
        }

        return entries;
    }

    internal static async Task<object?> ScalarAsync(SqliteConnection raw, string sql)
    {
        await using var command = raw.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    internal static async Task<IReadOnlyList<object>> ColumnAsync(SqliteConnection raw, string sql)
    {
        await using var command = raw.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<object>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetValue(0));
        }

        return values;
    }

    internal static async Task ExecuteAsync(SqliteConnection raw, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = raw.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        await command.ExecuteNonQueryAsync();
    }

    private async Task<IReadOnlyList<string>> SchemaAsync()
    {
        await using var raw = await _folder.OpenRawAsync();
        return await SchemaAsync(raw);
    }
}
