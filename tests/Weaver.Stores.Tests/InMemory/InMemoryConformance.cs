using Weaver.Stores.Tests.Conformance;

namespace Weaver.Stores.Tests.InMemory;

// The whole conformance suite against the in-memory store (TaskEngine). Not derived here: UnreadableRowConformance,
// which corrupts a stored row's state; the engine keeps a task's state as its lifecycle's enum, so it has no row
// whose state could be unknown.

public sealed class InMemoryTaskConformance() : TaskConformance(new InMemoryStoreProvider());

public sealed class InMemoryClaimConformance() : ClaimConformance(new InMemoryStoreProvider());

public sealed class InMemoryFencingConformance() : FencingConformance(new InMemoryStoreProvider());

public sealed class InMemoryOutcomeConformance() : OutcomeConformance(new InMemoryStoreProvider());

public sealed class InMemorySweepConformance() : SweepConformance(new InMemoryStoreProvider());

public sealed class InMemoryCancelConformance() : CancelConformance(new InMemoryStoreProvider());

public sealed class InMemoryLockConformance() : LockConformance(new InMemoryStoreProvider());

public sealed class InMemoryJobConformance() : JobConformance(new InMemoryStoreProvider());

public sealed class InMemoryArtifactConformance() : ArtifactConformance(new InMemoryStoreProvider());

public sealed class InMemoryHostileTextConformance() : HostileTextConformance(new InMemoryStoreProvider());

public sealed class InMemoryWaitConformance() : WaitConformance(new InMemoryStoreProvider());

public sealed class InMemoryModelConformance() : ModelConformance(new InMemoryStoreProvider());

public sealed class InMemoryWorkerConformance() : Workers.WorkerContractTests(new InMemoryStoreProvider());

/// <summary><see cref="Jobs.DurableJobConformance"/> on the in-memory store.</summary>
public sealed class InMemoryDurableJobConformance() : Jobs.DurableJobConformance(new InMemoryStoreProvider());

/// <summary><see cref="TraceConformance"/> on the in-memory store.</summary>
public sealed class InMemoryTraceConformance() : TraceConformance(new InMemoryStoreProvider());

/// <summary><see cref="MetricsConformance"/> on the in-memory store.</summary>
public sealed class InMemoryMetricsConformance() : MetricsConformance(new InMemoryStoreProvider());
