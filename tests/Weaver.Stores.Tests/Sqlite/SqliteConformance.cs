using Weaver.Stores.Tests.Conformance;

namespace Weaver.Stores.Tests.Sqlite;

// The whole conformance suite on SQLite: one concrete class per abstract class, each test on a fresh database file that
// is deleted after it (xunit disposes the class after each test). UnreadableRowConformance corrupts rows with raw SQL.

/// <summary><see cref="TaskConformance"/> on SQLite.</summary>
public sealed class SqliteTaskConformance() : TaskConformance(new SqliteStoreProvider()), IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await ((SqliteStoreProvider)Provider).DisposeAsync();
}

/// <summary><see cref="ClaimConformance"/> on SQLite.</summary>
public sealed class SqliteClaimConformance() : ClaimConformance(new SqliteStoreProvider()), IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await ((SqliteStoreProvider)Provider).DisposeAsync();
}

/// <summary><see cref="FencingConformance"/> on SQLite.</summary>
public sealed class SqliteFencingConformance() : FencingConformance(new SqliteStoreProvider()), IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await ((SqliteStoreProvider)Provider).DisposeAsync();
}

/// <summary><see cref="OutcomeConformance"/> on SQLite.</summary>
public sealed class SqliteOutcomeConformance() : OutcomeConformance(new SqliteStoreProvider()), IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await ((SqliteStoreProvider)Provider).DisposeAsync();
}

/// <summary><see cref="SweepConformance"/> on SQLite.</summary>
public sealed class SqliteSweepConformance() : SweepConformance(new SqliteStoreProvider()), IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await ((SqliteStoreProvider)Provider).DisposeAsync();
}

/// <summary><see cref="CancelConformance"/> on SQLite.</summary>
public sealed class SqliteCancelConformance() : CancelConformance(new SqliteStoreProvider()), IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await ((SqliteStoreProvider)Provider).DisposeAsync();
}

/// <summary><see cref="LockConformance"/> on SQLite.</summary>
public sealed class SqliteLockConformance() : LockConformance(new SqliteStoreProvider()), IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await ((SqliteStoreProvider)Provider).DisposeAsync();
}

/// <summary><see cref="JobConformance"/> on SQLite.</summary>
public sealed class SqliteJobConformance() : JobConformance(new SqliteStoreProvider()), IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await ((SqliteStoreProvider)Provider).DisposeAsync();
}

/// <summary><see cref="ArtifactConformance"/> on SQLite.</summary>
public sealed class SqliteArtifactConformance() : ArtifactConformance(new SqliteStoreProvider()), IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await ((SqliteStoreProvider)Provider).DisposeAsync();
}

/// <summary><see cref="HostileTextConformance"/> on SQLite.</summary>
public sealed class SqliteHostileTextConformance() : HostileTextConformance(new SqliteStoreProvider()), IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await ((SqliteStoreProvider)Provider).DisposeAsync();
}

/// <summary><see cref="WaitConformance"/> on SQLite.</summary>
public sealed class SqliteWaitConformance() : WaitConformance(new SqliteStoreProvider()), IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await ((SqliteStoreProvider)Provider).DisposeAsync();
}

/// <summary><see cref="ModelConformance"/> on SQLite.</summary>
public sealed class SqliteModelConformance() : ModelConformance(new SqliteStoreProvider()), IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await ((SqliteStoreProvider)Provider).DisposeAsync();
}

/// <summary><see cref="UnreadableRowConformance"/> on SQLite.</summary>
public sealed class SqliteUnreadableRowConformance() : UnreadableRowConformance(new SqliteStoreProvider()), IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await ((SqliteStoreProvider)Provider).DisposeAsync();
}

/// <summary><see cref="TraceConformance"/> on SQLite: the trace context crosses the database file.</summary>
public sealed class SqliteTraceConformance() : TraceConformance(new SqliteStoreProvider()), IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await ((SqliteStoreProvider)Provider).DisposeAsync();
}

/// <summary><see cref="MetricsConformance"/> on SQLite.</summary>
public sealed class SqliteMetricsConformance() : MetricsConformance(new SqliteStoreProvider()), IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await ((SqliteStoreProvider)Provider).DisposeAsync();
}

/// <summary>A store-backed <see cref="WorkerGroup"/> on SQLite (<see cref="Workers.WorkerContractTests"/>).</summary>
public sealed class SqliteWorkerConformance() : Workers.WorkerContractTests(new SqliteStoreProvider());

/// <summary><see cref="Jobs.DurableJobConformance"/> on SQLite.</summary>
public sealed class SqliteDurableJobConformance() : Jobs.DurableJobConformance(new SqliteStoreProvider());
