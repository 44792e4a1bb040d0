using Microsoft.Extensions.Options;

namespace Weaver.Hosting.Tests;

/// <summary>Bad options fail the host's start, with messages that say what is wrong and what is allowed; every problem at once.</summary>
public sealed class ValidationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public Task No_store_chosen() => AssertStartFailsAsync(
        _ => { },
        "No store is chosen: call one of UseInMemory() (this process only), UseSqlite(path) (package Weaver.Sqlite) or UsePostgreSql(connectionString) (package Weaver.PostgreSql) in services.AddWeaver(o => ...).");

    [Fact]
    public Task Two_stores_chosen() => AssertStartFailsAsync(
        o => o.UseInMemory().UseSqlite(_folder.File("weaver.db")),
        $"2 stores are chosen (in-memory, then SQLite file '{_folder.File("weaver.db")}'); a Weaver host uses exactly one");

    [Fact]
    public async Task Two_calls_of_AddWeaver_that_each_choose_a_store()
    {
        using var host = TestHosts.Build(o => o.UseInMemory(), services: s => s.AddWeaver(o => o.UseInMemory()));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("2 stores are chosen (in-memory, then in-memory)", error.Message, StringComparison.Ordinal);
        Assert.Contains("was services.AddWeaver called more than once?", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public Task An_empty_sqlite_path(string path) => AssertStartFailsAsync(
        o => o.UseSqlite(path),
        "UseSqlite was given an empty path; give the database file, such as UseSqlite(\"weaver.db\"): it is created when missing, in a folder that exists.");

    [Fact]
    public Task A_sqlite_file_in_a_folder_that_does_not_exist() => AssertStartFailsAsync(
        o => o.UseSqlite(Path.Combine(_folder.Path, "missing", "weaver.db")),
        $"UseSqlite: the folder of the SQLite file '{Path.Combine(_folder.Path, "missing", "weaver.db")}' ('{Path.Combine(_folder.Path, "missing")}') does not exist");

    [Fact]
    public Task A_sqlite_setting_out_of_range() => AssertStartFailsAsync(
        o => o.UseSqlite(_folder.File("weaver.db"), sqlite => sqlite with { PollInterval = TimeSpan.Zero }),
        "UseSqlite: PollInterval must be more than zero and at most 01:00:00 (how often an idle worker looks for work); it is 00:00:00.");

    [Fact]
    public Task Lease_timing_changed_in_a_stores_own_options() => AssertStartFailsAsync(
        o => o.UseSqlite(_folder.File("weaver.db"), sqlite => sqlite with { Leases = new LeaseOptions { LeaseDuration = TimeSpan.FromSeconds(30), HeartbeatInterval = TimeSpan.FromSeconds(5) } }),
        "UseSqlite's configure changed the store's lease timing");

    [Fact]
    public Task An_empty_postgresql_connection_string() => AssertStartFailsAsync(
        o => o.UsePostgreSql(""),
        "UsePostgreSql was given an empty connection string; give an Npgsql connection string such as 'Host=db;Database=weaver;Username=weaver;Password=...'.");

    [Fact]
    public Task A_postgresql_schema_that_is_not_an_identifier() => AssertStartFailsAsync(
        o => o.UsePostgreSql("Host=localhost;Database=weaver", pg => pg with { Schema = "Jobs; drop" }),
        "UsePostgreSql: Schema must be a lowercase PostgreSQL identifier");

    public static TheoryData<string> Stores() => new("UseInMemory", "UseSqlite", "UsePostgreSql");

    [Theory]
    [MemberData(nameof(Stores))]
    public Task A_store_configure_that_returns_null(string method) => AssertStartFailsAsync(
        o => _ = method switch
        {
            "UseInMemory" => o.UseInMemory(_ => null!),
            "UseSqlite" => o.UseSqlite(_folder.File("weaver.db"), _ => null!),
            _ => o.UsePostgreSql("Host=localhost;Database=weaver", _ => null!),
        },
        $"{method}'s configure returned null; return the options it was given, changed with 'with'.");

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public Task A_worker_count_below_one(int count) => AssertStartFailsAsync(
        o => o.UseInMemory().WorkerCount = count,
        $"WorkerCount must be at least 1 (how many attempts this process runs at once); it is {count}. For a process that runs no workers (it only submits and follows jobs), set RunWorkers = false.");

    [Fact]
    public Task An_empty_worker_name() => AssertStartFailsAsync(
        o => o.UseInMemory().WorkerName = " ",
        "WorkerName must not be empty: it names this process in the store (its workers' leases and its job client's jobs).");

    [Fact]
    public Task A_kind_no_handler_runs() => AssertStartFailsAsync(
        o =>
        {
            o.UseSqlite(_folder.File("weaver.db"));
            o.Kinds.Add("shout");
            o.Kinds.Add("paint");
        },
        "Kinds names 'paint', which no registered handler runs; registered: 'gated', 'scoped', 'shout'. Name registered kinds, or leave Kinds empty to run them all.");

    [Fact]
    public Task Kinds_with_the_in_memory_store() => AssertStartFailsAsync(
        o => o.UseInMemory().Kinds.Add("shout"),
        "Kinds ('shout') chooses which of a shared store's tasks this process runs; with UseInMemory every task runs in this process");

    [Fact]
    public Task No_workers_with_the_in_memory_store() => AssertStartFailsAsync(
        o => o.UseInMemory().RunWorkers = false,
        "UseInMemory keeps tasks in this process's memory, where no other process can run them, so RunWorkers must be true");

    [Fact]
    public async Task No_handlers_registered()
    {
        using var host = TestHosts.Build(o => o.UseInMemory(), handlers: false);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("No task handler is registered, so the workers would have nothing to run: call services.AddWeaverHandlers()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_process_that_only_submits_needs_no_handlers_of_its_own()
    {
        using var host = TestHosts.Build(o =>
        {
            o.UseSqlite(_folder.File("weaver.db"));
            o.RunWorkers = false;
            o.WorkerCount = 0; // ignored: no workers run
        }, handlers: false);

        await host.StartAsync();

        Assert.Null(host.Services.GetRequiredService<WeaverRuntime>().Workers);
        await host.StopAsync();
    }

    [Fact]
    public async Task Two_handlers_of_one_name()
    {
        var impostor = HandlerRegistration.Create<GatedHandler, string, string>("shout", static () => new GatedHandler());
        using var host = TestHosts.Build(o => o.UseInMemory(), services: s => s.AddWeaverHandler(impostor));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Task handler name 'shout' is already registered, by Weaver.Hosting.Tests.ShoutHandler", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_deciders_of_one_kind()
    {
        using var host = TestHosts.Build(o => o.UseInMemory(), services: s => s.AddWeaverDecider("shout", new NoChildren()).AddWeaverDecider("shout", new NoChildren()));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("2 deciders are registered for kind 'shout' (NoChildren, NoChildren); a kind has at most one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public Task Bad_lease_timing() => AssertStartFailsAsync(
        o => o.UseInMemory().Leases = new LeaseOptions { LeaseDuration = TimeSpan.FromSeconds(10), HeartbeatInterval = TimeSpan.FromSeconds(10) },
        "Leases: HeartbeatInterval must be at least 1 ms and shorter than LeaseDuration (00:00:10); it is 00:00:10.");

    [Fact]
    public Task A_negative_shutdown_grace() => AssertStartFailsAsync(
        o => o.UseInMemory().ShutdownGrace = TimeSpan.FromSeconds(-1),
        "ShutdownGrace must be zero or more");

    [Fact]
    public async Task Every_problem_is_reported_at_once()
    {
        using var host = TestHosts.Build(o =>
        {
            o.WorkerCount = 0;
            o.IdleWait = TimeSpan.Zero;
            o.ShutdownGrace = TimeSpan.FromSeconds(-1);
            o.JobPollInterval = TimeSpan.Zero;
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(5, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.StartsWith("WorkerCount must be at least 1", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("IdleWait must be positive; it is 00:00:00.", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Job client: PollInterval must be more than zero", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("ShutdownGrace must be zero or more", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("No store is chosen", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resolving_the_client_of_an_invalid_host_says_what_is_wrong()
    {
        using var host = TestHosts.Build(_ => { });
        var client = host.Services.GetRequiredService<IWeaverClient>();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => client.SubmitJobAsync(TestHosts.Job("shout", "x")));

        Assert.Contains("No store is chosen", error.Message, StringComparison.Ordinal);
    }

    private static async Task AssertStartFailsAsync(Action<WeaverOptions> configure, string expected)
    {
        using var host = TestHosts.Build(configure);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private sealed class NoChildren : IDecider
    {
        public IReadOnlyList<JobTaskSpec> Decide(JobTaskSpec task, object? result) => [];
    }
}
