using Weaver.PostgreSql;
using Weaver.Stores.Tests.Postgres;
using Xunit.Abstractions;

namespace Weaver.Stores.Tests.MultiProcess;

/// <summary>
/// The multi-process scenarios on one PostgreSQL database of the shared test cluster (a fresh database per test), and
/// one of PostgreSQL's own: the server restarting under a running fleet.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresMultiProcessTests(PostgresCluster cluster, ITestOutputHelper output) : MultiProcessScenarios(output)
{
    [PostgresFact]
    public Task Each_task_has_exactly_one_winner_among_four_processes() => ExactlyOneWinnerAsync(tasks: 1_000, workers: 4);

    [PostgresFact]
    public Task No_task_is_lost_or_committed_twice_while_workers_are_killed_and_paused() =>
        ChaosAsync(tasks: 5_000, workers: 4, seed: Environment.TickCount);

    [PostgresFact(Requires = PostgresRequirement.ThrowawayCluster)]
    public Task Workers_reconnect_and_finish_the_run_when_the_server_restarts() =>
        ServerRestartAsync(tasks: 1_000, workers: 4, cluster.StopAsync, cluster.StartAsync);

    protected override async Task<MultiProcessTarget> CreateTargetAsync(string name) =>
        new PostgresTarget(await cluster.CreateDatabaseAsync(PostgresStores.NewDatabaseName("mp_" + name)));

    private sealed class PostgresTarget(string connection) : MultiProcessTarget
    {
        public override string Store => "postgres";

        public override string Connection => connection;

        // The test's own store rides out the restart test's outage as long as the workers do, and then some.
        public override async Task<IWeaverStore> OpenAsync(LeaseOptions leases) =>
            await PostgreSqlWeaverStore.OpenAsync(new PostgreSqlStoreOptions
            {
                ConnectionString = connection,
                Leases = leases,
                Reconnect = new PostgreSqlReconnectOptions { MaxRetries = 30, InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1) },
            });
    }
}
