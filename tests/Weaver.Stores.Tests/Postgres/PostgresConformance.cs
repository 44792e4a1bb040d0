using Npgsql;
using Weaver.PostgreSql;
using Weaver.Stores.Tests.Conformance;

namespace Weaver.Stores.Tests.Postgres;

// The whole conformance suite against the PostgreSQL store, each test on a database of its own.

[Collection(PostgresCollection.Name), PostgresStoreSkip]
public sealed class PostgresTaskConformance(PostgresCluster cluster) : TaskConformance(new PostgresStoreProvider(cluster));

[Collection(PostgresCollection.Name), PostgresStoreSkip]
public sealed class PostgresClaimConformance(PostgresCluster cluster) : ClaimConformance(new PostgresStoreProvider(cluster));

[Collection(PostgresCollection.Name), PostgresStoreSkip]
public sealed class PostgresFencingConformance(PostgresCluster cluster) : FencingConformance(new PostgresStoreProvider(cluster));

[Collection(PostgresCollection.Name), PostgresStoreSkip]
public sealed class PostgresOutcomeConformance(PostgresCluster cluster) : OutcomeConformance(new PostgresStoreProvider(cluster));

[Collection(PostgresCollection.Name), PostgresStoreSkip]
public sealed class PostgresSweepConformance(PostgresCluster cluster) : SweepConformance(new PostgresStoreProvider(cluster));

[Collection(PostgresCollection.Name), PostgresStoreSkip]
public sealed class PostgresCancelConformance(PostgresCluster cluster) : CancelConformance(new PostgresStoreProvider(cluster));

[Collection(PostgresCollection.Name), PostgresStoreSkip]
public sealed class PostgresLockConformance(PostgresCluster cluster) : LockConformance(new PostgresStoreProvider(cluster));

[Collection(PostgresCollection.Name), PostgresStoreSkip]
public sealed class PostgresJobConformance(PostgresCluster cluster) : JobConformance(new PostgresStoreProvider(cluster));

[Collection(PostgresCollection.Name), PostgresStoreSkip]
public sealed class PostgresArtifactConformance(PostgresCluster cluster) : ArtifactConformance(new PostgresStoreProvider(cluster));

[Collection(PostgresCollection.Name), PostgresStoreSkip]
public sealed class PostgresHostileTextConformance(PostgresCluster cluster) : HostileTextConformance(new PostgresStoreProvider(cluster));

[Collection(PostgresCollection.Name), PostgresStoreSkip]
public sealed class PostgresWaitConformance(PostgresCluster cluster) : WaitConformance(new PostgresStoreProvider(cluster));

[Collection(PostgresCollection.Name), PostgresStoreSkip]
public sealed class PostgresModelConformance(PostgresCluster cluster) : ModelConformance(new PostgresStoreProvider(cluster));

[Collection(PostgresCollection.Name), PostgresStoreSkip]
public sealed class PostgresTraceConformance(PostgresCluster cluster) : TraceConformance(new PostgresStoreProvider(cluster));

[Collection(PostgresCollection.Name), PostgresStoreSkip]
public sealed class PostgresUnreadableRowConformance(PostgresCluster cluster) : UnreadableRowConformance(new PostgresStoreProvider(cluster));

/// <summary>
/// Skips a PostgreSQL conformance class, with the reason <see cref="PostgresFactAttribute"/> gives, when no server can be
/// had outside CI; under <c>CI=true</c> its tests run and fail instead.
/// </summary>
public sealed class PostgresStoreSkipAttribute : StoreSkipAttribute
{
    public override string? SkipReason => PostgresTestEnvironment.SkipReason(PostgresRequirement.Server);
}

[Collection(PostgresCollection.Name), PostgresStoreSkip]
public sealed class PostgresWorkerConformance(PostgresCluster cluster) : Workers.WorkerContractTests(new PostgresStoreProvider(cluster));

/// <summary>
/// The PostgreSQL provider of the conformance suite: each store on a fresh database of the shared cluster, judging
/// leases by the test's fake clock, with its jitter and its logs.
/// </summary>
public sealed class PostgresStoreProvider(PostgresCluster cluster) : StoreProvider
{
    public override string Name => "PostgreSQL";

    public override string TaskTable => "weaver.tasks";

    public override async Task<IWeaverStore> CreateAsync(StoreSetup setup)
    {
        if (!cluster.IsAvailable)
        {
            throw new InvalidOperationException(
                "There is no PostgreSQL server for this test: " + (PostgresTestEnvironment.SkipReason(PostgresRequirement.Server) ?? cluster.Description));
        }

        var connectionString = await PostgresStores.NewDatabaseAsync(cluster, "conf");
        return await PostgreSqlWeaverStore.OpenAsync(new PostgreSqlStoreOptions
        {
            ConnectionString = connectionString,
            Leases = setup.Leases,
            TimeProvider = setup.Time,
            JitterSource = setup.JitterSource,
            LoggerFactory = setup.Logs,
        });
    }

    public override async Task CorruptTaskStateAsync(IWeaverStore store, string taskId, string state)
    {
        var postgres = (PostgreSqlWeaverStore)store;
        await using var connection = new NpgsqlConnection(postgres.Options.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"UPDATE \"{postgres.Schema}\".tasks SET state = @state WHERE id = @id", connection);
        command.Parameters.AddWithValue("state", state);
        command.Parameters.AddWithValue("id", taskId);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}

[Collection(PostgresCollection.Name), PostgresStoreSkip]
public sealed class PostgresDurableJobConformance(PostgresCluster cluster) : Jobs.DurableJobConformance(new PostgresStoreProvider(cluster));

[Collection(PostgresCollection.Name), PostgresStoreSkip]
public sealed class PostgresMetricsConformance(PostgresCluster cluster) : MetricsConformance(new PostgresStoreProvider(cluster));
