using Weaver.Sqlite;
using Xunit.Abstractions;

namespace Weaver.Stores.Tests.MultiProcess;

/// <summary>
/// The multi-process scenarios on one SQLite file that every worker process opens. The file lives in memory
/// (<c>/dev/shm</c>) where there is such a folder: the store syncs every commit (<c>synchronous = FULL</c>), and on a
/// disk whose fsync takes milliseconds the runs would measure the disk rather than the processes' contention. Killed
/// processes are what these tests are about, and a file in memory survives them as a file on disk does.
/// </summary>
[Collection(SqliteMultiProcessCollection.Name)]
public sealed class SqliteMultiProcessTests(ITestOutputHelper output) : MultiProcessScenarios(output)
{
    [Fact]
    public Task Each_task_has_exactly_one_winner_among_four_processes() => ExactlyOneWinnerAsync(tasks: 1_000, workers: 4);

    [Fact]
    public Task No_task_is_lost_or_committed_twice_while_workers_are_killed_and_paused() =>
        ChaosAsync(tasks: 5_000, workers: 4, seed: Environment.TickCount);

    protected override Task<MultiProcessTarget> CreateTargetAsync(string name) => Task.FromResult<MultiProcessTarget>(new SqliteTarget(name));

    private sealed class SqliteTarget : MultiProcessTarget
    {
        private readonly string _folder;

        public SqliteTarget(string name)
        {
            var memory = new DirectoryInfo("/dev/shm");
            _folder = memory.Exists
                ? memory.CreateSubdirectory($"weaver-multiproc-{name}-{Guid.NewGuid():N}").FullName
                : Directory.CreateTempSubdirectory($"weaver-multiproc-{name}-").FullName;
            Connection = Path.Combine(_folder, "weaver.db");
        }

        public override string Store => "sqlite";

        public override string Connection { get; }

        public override async Task<IWeaverStore> OpenAsync(LeaseOptions leases) =>
            await SqliteWeaverStore.OpenAsync(new SqliteStoreOptions { Path = Connection, Leases = leases, PollInterval = TimeSpan.FromMilliseconds(200) });

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            Directory.Delete(_folder, recursive: true);
        }
    }
}

/// <summary>
/// The SQLite multi-process tests run alone, after every other test class: each keeps the machine's cores busy with a
/// fleet of processes, and the PostgreSQL ones (in their own collection) must not share the machine with them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SqliteMultiProcessCollection
{
    public const string Name = "Multi-process SQLite";
}
