using System.Text.Json;

namespace Weaver;

/// <summary>
/// How a Weaver host (<c>services.AddWeaver(o =&gt; ...)</c>) runs: the one store it uses (<see cref="UseInMemory"/>,
/// <c>UseSqlite</c> from Weaver.Sqlite, <c>UsePostgreSql</c> from Weaver.PostgreSql), its workers, and the settings its
/// store, workers and job client share. Checked when the host starts; every problem is reported at once, each saying
/// what is wrong and what is allowed.
/// </summary>
/// <remarks>
/// The scalar settings can also be bound from configuration (<c>services.Configure&lt;WeaverOptions&gt;(section)</c>);
/// the store is chosen in code.
/// </remarks>
public sealed class WeaverOptions
{
    private readonly List<WeaverStoreProvider> _stores = [];

    /// <summary>
    /// Whether this process runs workers. Default true. Set false for a process that only submits and follows jobs on a
    /// shared store (SQLite or PostgreSQL) whose tasks other processes run.
    /// </summary>
    public bool RunWorkers { get; set; } = true;

    /// <summary>How many attempts this process runs at once; at least 1. Default: the number of processors.</summary>
    public int WorkerCount { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// This process's name in the store: each worker's lease owner is <c>{WorkerName}/{index}</c>, which histories show,
    /// and the job client coordinates its jobs under it. Default: the machine's name, the process id and a random
    /// suffix, such as <c>build-7-4242-1f3a</c>. A process restarted under the name it had resumes its running jobs at
    /// once; under a new name, once they are stale (<see cref="LeaseOptions.StaleAfter"/>). Give each live process its
    /// own name: two processes under one name take each other's jobs.
    /// </summary>
    public string WorkerName { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..4]}";

    /// <summary>
    /// The task kinds this process's workers run; empty (the default) for every registered handler. Each must be the name
    /// of a registered handler. On a shared store, other processes run the other kinds.
    /// </summary>
    public IList<string> Kinds { get; } = new List<string>();

    /// <summary>The lease timing of every attempt, in every store. Default <see cref="LeaseOptions.Default"/>.</summary>
    public LeaseOptions Leases { get; set; } = LeaseOptions.Default;

    /// <summary>The retry policy of tasks submitted without one. Default <see cref="RetryPolicy.Default"/>.</summary>
    public RetryPolicy Retry { get; set; } = RetryPolicy.Default;

    /// <summary>How often the workers sweep stale leases; positive. Default: the lease's heartbeat interval.</summary>
    public TimeSpan? SweepInterval { get; set; }

    /// <summary>
    /// The longest wait of an idle worker between claims when a store gives no hint (SQLite polls; PostgreSQL
    /// notifies); positive. Default 1 s. The in-memory engine's workers wait on its queue instead.
    /// </summary>
    public TimeSpan IdleWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long running attempts may take to finish once the host stops, by the host's clock (the
    /// <see cref="TimeProvider"/> service, or the system clock); then their handlers are cancelled and the attempts
    /// handed back, so another worker runs them again. Null (the default): until the host's shutdown timeout
    /// (<c>HostOptions.ShutdownTimeout</c>) ends the stop. Zero or more.
    /// </summary>
    public TimeSpan? ShutdownGrace { get; set; }

    /// <summary>
    /// How often the job client reads the tasks of its jobs from a durable store (SQLite, PostgreSQL); more than zero and
    /// at most 10 minutes. Default 250 ms. The in-memory engine tells its job client when a task ends instead.
    /// </summary>
    public TimeSpan JobPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How inputs and results are read and written as JSON on a durable store (<see cref="TaskPayloads"/>); web defaults
    /// when null. An application compiled ahead of time passes options with its source-generated context.
    /// </summary>
    public JsonSerializerOptions? Json { get; set; }

    /// <summary>
    /// Where handlers store artifact content (<see cref="TaskContext.Artifacts"/>): an <see cref="ArtifactStore"/> in a
    /// folder every process of the fleet shares (the metadata goes to the store, fenced by the attempt's lease). Null (the
    /// default): artifacts are off, and every artifact call of a handler says so.
    /// </summary>
    public ArtifactStore? Artifacts { get; set; }

    /// <summary>The stores chosen so far, in the order chosen; the host starts only when there is exactly one.</summary>
    public IReadOnlyList<WeaverStoreProvider> Stores => _stores;

    /// <summary>
    /// Keeps tasks and jobs in this process's memory (<see cref="TaskEngine"/>): fast, and gone when the process ends.
    /// The engine's workers also run outcome methods (<see cref="OnOutcomeAttribute"/>) and store artifacts when
    /// <see cref="TaskEngineOptions.Artifacts"/> is set.
    /// </summary>
    /// <param name="configure">
    /// Changes the engine's options, which start from <see cref="Leases"/>, <see cref="Retry"/>, <see cref="Artifacts"/> and the host's clock;
    /// for example <c>engine =&gt; engine with { ResourceKeyCase = ResourceKeyCase.Insensitive }</c>.
    /// </param>
    /// <returns>These options, to chain calls.</returns>
    public WeaverOptions UseInMemory(Func<TaskEngineOptions, TaskEngineOptions>? configure = null) =>
        UseStore(new InMemoryStoreProvider(configure));

    /// <summary>Chooses the store the host opens at start; store packages call this from their <c>Use...</c> methods.</summary>
    /// <param name="provider">The store.</param>
    /// <returns>These options, to chain calls.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="provider"/> is null.</exception>
    public WeaverOptions UseStore(WeaverStoreProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _stores.Add(provider);
        return this;
    }
}
