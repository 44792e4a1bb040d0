using Weaver.Sqlite;
using Weaver.Stores.Tests.Conformance;

namespace Weaver.Stores.Tests.Sqlite;

/// <summary>Options are checked when the store is made, with messages that say what is wrong and what is allowed.</summary>
public sealed class SqliteStoreOptionsTests
{
    public static TheoryData<string, SqliteStoreOptions, string, string> Invalid => new()
    {
        { "nothing named", new SqliteStoreOptions(), "Path", "Set Path (the database file) or ConnectionString" },
        { "both named", new SqliteStoreOptions { Path = "a.db", ConnectionString = "Data Source=b.db" }, "ConnectionString", "not both" },
        { "in-memory path", new SqliteStoreOptions { Path = ":memory:" }, "Path", "in-memory database" },
        { "in-memory connection", new SqliteStoreOptions { ConnectionString = "Data Source=x;Mode=Memory" }, "ConnectionString", "in-memory database" },
        { "read-only", new SqliteStoreOptions { ConnectionString = "Data Source=x.db;Mode=ReadOnly" }, "ConnectionString", "Mode=ReadOnly" },
        { "no data source", new SqliteStoreOptions { ConnectionString = "Cache=Shared" }, "ConnectionString", "names no database file" },
        { "unreadable", new SqliteStoreOptions { ConnectionString = "Data Source=x.db;Bogus=1" }, "ConnectionString", "cannot be read" },
        { "negative busy", new SqliteStoreOptions { Path = "a.db", BusyTimeout = TimeSpan.FromSeconds(-1) }, "BusyTimeout", "from 0 to 00:10:00" },
        { "huge busy", new SqliteStoreOptions { Path = "a.db", BusyTimeout = TimeSpan.FromHours(1) }, "BusyTimeout", "from 0 to 00:10:00" },
        { "zero poll", new SqliteStoreOptions { Path = "a.db", PollInterval = TimeSpan.Zero }, "PollInterval", "more than zero" },
        { "no leases", new SqliteStoreOptions { Path = "a.db", Leases = null! }, "Leases", "LeaseOptions.Default" },
        {
            "bad leases",
            new SqliteStoreOptions { Path = "a.db", Leases = new LeaseOptions { LeaseDuration = TimeSpan.FromSeconds(1), HeartbeatInterval = TimeSpan.FromSeconds(2) } },
            "HeartbeatInterval",
            "shorter than LeaseDuration"
        },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_options_are_refused_when_the_store_is_made(string because, SqliteStoreOptions options, string parameter, string message)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new SqliteWeaverStore(options));

        Assert.True(parameter == error.ParamName, $"{because}: {error.ParamName}");
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_string_names_the_file_and_its_pooling_is_the_store_own()
    {
        await using var folder = new SqliteTestFolder();
        var setup = StoreSetup.Default();
        var options = new SqliteStoreOptions
        {
            ConnectionString = $"Data Source={folder.FilePath()};Pooling=True",
            Leases = setup.Leases,
            TimeProvider = setup.Time,
        };

        await using (var store = await SqliteWeaverStore.OpenAsync(options))
        {
            Assert.Equal(folder.FilePath(), store.DataSource);
            await store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default));
        }

        // With the library's pool the file would stay open here; the folder's deletion proves it is closed.
        await using var reopened = await SqliteWeaverStore.OpenAsync(options);
        Assert.NotNull(await reopened.GetTaskAsync("t1"));
    }

    [Fact]
    public async Task A_cancelled_call_changes_nothing()
    {
        await using var folder = new SqliteTestFolder();
        var setup = StoreSetup.Default();
        await using var store = await SqliteWeaverStore.OpenAsync(folder.Options(setup));
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default), cancel.Token).AsTask());

        Assert.Empty(await store.ListTasksAsync());
    }

    [Fact]
    public async Task A_claim_names_at_most_1000_kinds_each_bound_as_a_parameter()
    {
        await using var folder = new SqliteTestFolder();
        await using var store = await SqliteWeaverStore.OpenAsync(folder.Options(StoreSetup.Default()));
        await store.CreateTaskAsync(new NewTask("t1", "k999", null, RetryPolicy.Default));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.ClaimAsync("w1", 1, [.. Enumerable.Range(0, 1001).Select(i => $"k{i}")]).AsTask());

        Assert.Equal("kinds", error.ParamName);
        Assert.Contains("at most 1000 distinct kinds", error.Message, StringComparison.Ordinal);
        Assert.Equal("t1", Assert.Single(await store.ClaimAsync("w1", 1, [.. Enumerable.Range(0, 1000).Select(i => $"k{i}")])).TaskId);
    }

    [Fact]
    public async Task A_jitter_source_outside_zero_to_one_is_reported_and_the_failure_is_not_recorded()
    {
        await using var folder = new SqliteTestFolder();
        var setup = StoreSetup.Default();
        await using var store = await SqliteWeaverStore.OpenAsync(folder.Options(setup) with { JitterSource = () => 1.0 });
        await store.CreateTaskAsync(new NewTask("t1", "echo", null, RetryPolicy.Default));
        var attempt = Assert.Single(await store.ClaimAsync("w1", 1, ["echo"]));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.FailAsync(attempt, "boom", 0m).AsTask());

        Assert.Contains("JitterSource returned 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(TaskLifecycle.State.Running, (await store.GetTaskAsync("t1"))!.State);
    }
}
