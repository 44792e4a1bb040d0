namespace Weaver;

/// <summary>
/// The artifacts of one attempt, as its handler writes them (<see cref="TaskContext.Artifacts"/>): files, text,
/// captured stdout and stderr, and links, stored in the engine's <see cref="ArtifactStore"/> under the attempt's job id,
/// task id and attempt number, which this writer fills in. Names are logical relative paths, validated by the store
/// (ADR 0014): one that could escape the store's root (<c>..</c>, <c>/etc/passwd</c>, <c>C:\x</c>,
/// <c>\\server\share</c>) is rejected with an <see cref="ArgumentException"/> before anything is written, and any other
/// name (spaces, <c>#</c>, <c>%</c>, unicode, emoji) is stored and listed exactly as given.
/// </summary>
/// <remarks>
/// <para><b>Keys.</b> A job task's attempts store under <see cref="JobTaskRef.JobId"/> and <see cref="JobTaskRef.TaskId"/>
/// (the task's id within its job); a standalone task's under its engine task id as both job id and task id
/// (<see cref="JobTaskRef.Standalone"/>). <see cref="Attempt"/> tells the attempts of one task apart.</para>
/// <para><b>Fencing.</b> In an engine, a put records its artifact only while this attempt holds the task's current
/// lease. Whether it does is checked before any content is stored and again, atomically, when the artifact's metadata
/// line is appended: that check and the append happen under the task's lock, which every change that takes the task
/// from the attempt (a sweep of its stale lease, another worker's claim, a cancel, the attempt's own commit) also
/// takes. So an artifact is listed only if it was recorded before the attempt lost the task; a put that comes later
/// throws <see cref="LeaseLostException"/>, lists nothing new, and appears in the task's history as a
/// <see cref="TaskEventKind.WriteRejected"/> event. Content stored before a rejected append stays as an unreferenced
/// blob, which is harmless (ADR 0014). See ADR 0016.</para>
/// <para><b>On a store.</b> A store-backed worker group (<see cref="WorkerGroupOptions.Artifacts"/>) stores content in
/// its <see cref="ArtifactStore"/>, a folder the fleet shares, and records the metadata in the
/// <see cref="IWeaverStore"/> with one conditional write on the attempt's lease
/// (<see cref="IWeaverStore.AppendArtifactAsync"/>); a zombie's put throws <see cref="LeaseLostException"/> and is
/// recorded as <see cref="TaskEventKind.WriteRejected"/>. Such artifacts are listed by
/// <see cref="IWeaverStore.ListArtifactsAsync"/> (and <see cref="List"/>), not by <see cref="ArtifactStore.List"/>.
/// See ADR 0024.</para>
/// <para><b>Off.</b> When the engine has no artifact store (<see cref="TaskEngineOptions.Artifacts"/> is null), every
/// call but <see cref="IsEnabled"/> throws an <see cref="InvalidOperationException"/> that says how to turn them on.</para>
/// <para>Calls may be made concurrently; each put is recorded on its own, in the order the store appends them.</para>
/// </remarks>
public sealed class AttemptArtifacts
{
    /// <summary>The name of the first <see cref="WriteStdoutAsync"/> of an attempt; later ones add their number.</summary>
    public const string StdoutName = "stdout.txt";

    /// <summary>The name of the first <see cref="WriteStderrAsync"/> of an attempt; later ones add their number.</summary>
    public const string StderrName = "stderr.txt";

    private readonly ArtifactStore? _store;
    private readonly IArtifactFence? _fence;
    private readonly Func<IReadOnlyList<ArtifactRef>>? _listRecorded;
    private int _stdoutWrites;
    private int _stderrWrites;

    /// <summary>
    /// Creates a writer outside an engine, for testing a handler with a real store: its puts are not fenced by any lease.
    /// In an engine, workers create each attempt's writer themselves.
    /// </summary>
    /// <param name="store">Where to store; null for a writer whose every call says artifacts are off.</param>
    /// <param name="job">The job and task to store under.</param>
    /// <param name="attempt">The attempt's number, from 1.</param>
    /// <exception cref="ArgumentException"><paramref name="job"/> is <c>default</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempt"/> is less than 1.</exception>
    public AttemptArtifacts(ArtifactStore? store, JobTaskRef job, int attempt)
        : this(store, job, attempt, fence: null)
    {
    }

    /// <summary>Creates a worker's writer for one attempt, fenced by its lease.</summary>
    /// <param name="store">Where content is stored; null when artifacts are off.</param>
    /// <param name="job">The job and task to store under.</param>
    /// <param name="attempt">The attempt's number, from 1.</param>
    /// <param name="fence">Guards each put by the attempt's lease; null for none.</param>
    /// <param name="listRecorded">
    /// Lists the task's artifacts where <paramref name="fence"/> records them (a store-backed attempt's
    /// <see cref="IWeaverStore"/>); null when they are <paramref name="store"/>'s own lines.
    /// </param>
    internal AttemptArtifacts(ArtifactStore? store, JobTaskRef job, int attempt, IArtifactFence? fence, Func<IReadOnlyList<ArtifactRef>>? listRecorded = null)
    {
        if (job.JobId.Value is null || job.TaskId is null)
        {
            throw new ArgumentException("The job reference is empty (default); pass new JobTaskRef(jobId, taskId) or JobTaskRef.Standalone(taskId).", nameof(job));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        _store = store;
        _fence = fence;
        _listRecorded = listRecorded;
        Job = job;
        Attempt = attempt;
    }

    /// <summary>Whether artifacts are on: the engine has an artifact store. When false every other call throws.</summary>
    public bool IsEnabled => _store is not null;

    /// <summary>The job and task this attempt's artifacts are stored and listed under.</summary>
    public JobTaskRef Job { get; }

    /// <summary>The attempt's number, from 1, recorded on each of its artifacts.</summary>
    public int Attempt { get; }

    /// <summary>Stores <paramref name="content"/>, read from its current position to its end, as an artifact of this attempt.</summary>
    /// <param name="name">The artifact's logical relative path, such as <c>reports/summary.html</c>.</param>
    /// <param name="content">The content; not disposed.</param>
    /// <param name="kind"><see cref="ArtifactKind.File"/>, <see cref="ArtifactKind.Stdout"/> or <see cref="ArtifactKind.Stderr"/>.</param>
    /// <param name="cancellationToken">Stops the copy; nothing is recorded then.</param>
    /// <returns>The recorded artifact.</returns>
    /// <exception cref="InvalidOperationException">Artifacts are off.</exception>
    /// <exception cref="ArgumentException">The name or kind breaks the store's rules; nothing is written.</exception>
    /// <exception cref="LeaseLostException">The attempt no longer holds the task's lease; nothing is recorded.</exception>
    public Task<ArtifactRef> PutAsync(string name, Stream content, ArtifactKind kind = ArtifactKind.File, CancellationToken cancellationToken = default) =>
        Store().PutAsync(Job.JobId.Value, Job.TaskId, Attempt, name, content, kind, _fence, cancellationToken);

    /// <summary>Stores a copy of the file at <paramref name="sourcePath"/> as a <see cref="ArtifactKind.File"/> artifact of this attempt.</summary>
    /// <param name="name">The artifact's logical relative path; it need not match the source file's name.</param>
    /// <param name="sourcePath">The file to copy.</param>
    /// <param name="cancellationToken">Stops the copy; nothing is recorded then.</param>
    /// <returns>The recorded artifact.</returns>
    /// <exception cref="InvalidOperationException">Artifacts are off.</exception>
    /// <exception cref="ArgumentException">The name breaks the store's rules; nothing is written.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="sourcePath"/>.</exception>
    /// <exception cref="LeaseLostException">The attempt no longer holds the task's lease; nothing is recorded.</exception>
    public Task<ArtifactRef> PutFileAsync(string name, string sourcePath, CancellationToken cancellationToken = default) =>
        Store().PutFileAsync(Job.JobId.Value, Job.TaskId, Attempt, name, sourcePath, _fence, cancellationToken);

    /// <summary>Stores <paramref name="text"/> as UTF-8 (without a byte order mark) as an artifact of this attempt.</summary>
    /// <param name="name">The artifact's logical relative path, such as <c>summary.md</c>.</param>
    /// <param name="text">The text.</param>
    /// <param name="kind"><see cref="ArtifactKind.File"/>, <see cref="ArtifactKind.Stdout"/> or <see cref="ArtifactKind.Stderr"/>.</param>
    /// <param name="cancellationToken">Stops the write; nothing is recorded then.</param>
    /// <returns>The recorded artifact.</returns>
    /// <exception cref="InvalidOperationException">Artifacts are off.</exception>
    /// <exception cref="ArgumentException">The name or kind breaks the store's rules; nothing is written.</exception>
    /// <exception cref="LeaseLostException">The attempt no longer holds the task's lease; nothing is recorded.</exception>
    public Task<ArtifactRef> PutTextAsync(string name, string text, ArtifactKind kind = ArtifactKind.File, CancellationToken cancellationToken = default) =>
        Store().PutTextAsync(Job.JobId.Value, Job.TaskId, Attempt, name, text, kind, _fence, cancellationToken);

    /// <summary>
    /// Records a chunk of the attempt's standard output as a <see cref="ArtifactKind.Stdout"/> artifact. Each call
    /// records one chunk; chunks are never rewritten or joined. The first call of an attempt is named
    /// <c>stdout.txt</c>, the n-th <c>stdout.n.txt</c> (<c>stdout.2.txt</c>, <c>stdout.3.txt</c>, ...), numbered in the
    /// order the calls were made: the attempt's whole output is its chunks in number order (also their list order, unless
    /// calls ran concurrently). A call that fails still uses up its number.
    /// </summary>
    /// <param name="text">The output, stored as UTF-8.</param>
    /// <param name="cancellationToken">Stops the write; nothing is recorded then.</param>
    /// <returns>The recorded chunk.</returns>
    /// <exception cref="InvalidOperationException">Artifacts are off.</exception>
    /// <exception cref="LeaseLostException">The attempt no longer holds the task's lease; nothing is recorded.</exception>
    public Task<ArtifactRef> WriteStdoutAsync(string text, CancellationToken cancellationToken = default) =>
        WriteStreamAsync(ref _stdoutWrites, "stdout", ArtifactKind.Stdout, text, cancellationToken);

    /// <summary>
    /// Records a chunk of the attempt's standard error as a <see cref="ArtifactKind.Stderr"/> artifact, named and
    /// numbered as <see cref="WriteStdoutAsync"/> names its chunks: <c>stderr.txt</c>, then <c>stderr.2.txt</c>, ...
    /// </summary>
    /// <param name="text">The output, stored as UTF-8.</param>
    /// <param name="cancellationToken">Stops the write; nothing is recorded then.</param>
    /// <returns>The recorded chunk.</returns>
    /// <exception cref="InvalidOperationException">Artifacts are off.</exception>
    /// <exception cref="LeaseLostException">The attempt no longer holds the task's lease; nothing is recorded.</exception>
    public Task<ArtifactRef> WriteStderrAsync(string text, CancellationToken cancellationToken = default) =>
        WriteStreamAsync(ref _stderrWrites, "stderr", ArtifactKind.Stderr, text, cancellationToken);

    /// <summary>Records a link to content stored elsewhere as a <see cref="ArtifactKind.Url"/> artifact of this attempt.</summary>
    /// <param name="name">The artifact's logical relative path.</param>
    /// <param name="url">An absolute http or https URL.</param>
    /// <returns>The recorded artifact.</returns>
    /// <exception cref="InvalidOperationException">Artifacts are off.</exception>
    /// <exception cref="ArgumentException">The name or URL breaks the store's rules; nothing is written.</exception>
    /// <exception cref="LeaseLostException">The attempt no longer holds the task's lease; nothing is recorded.</exception>
    public ArtifactRef PutUrl(string name, Uri url) =>
        Store().PutUrl(Job.JobId.Value, Job.TaskId, Attempt, name, url, _fence);

    /// <summary>This attempt's artifacts, in the order they were recorded. Reading is not fenced.</summary>
    /// <returns>The artifacts; empty when it recorded none.</returns>
    /// <exception cref="InvalidOperationException">Artifacts are off.</exception>
    public IReadOnlyList<ArtifactRef> List()
    {
        var store = Store();
        var recorded = _listRecorded is { } list ? list() : store.List(Job.JobId.Value, Job.TaskId);
        return [.. recorded.Where(artifact => artifact.Attempt == Attempt)];
    }

    /// <summary>The name of the <paramref name="number"/>-th chunk of a captured stream: <c>stdout.txt</c>, <c>stdout.2.txt</c>, ...</summary>
    private static string ChunkName(string stream, int number) =>
        number == 1 ? $"{stream}.txt" : $"{stream}.{number}.txt";

    private Task<ArtifactRef> WriteStreamAsync(ref int writes, string stream, ArtifactKind kind, string text, CancellationToken cancellationToken)
    {
        var store = Store();
        ArgumentNullException.ThrowIfNull(text);
        var name = ChunkName(stream, Interlocked.Increment(ref writes));
        return store.PutTextAsync(Job.JobId.Value, Job.TaskId, Attempt, name, text, kind, _fence, cancellationToken);
    }

    private ArtifactStore Store() => _store ?? throw new InvalidOperationException(
        $"Artifacts are off: the engine running task '{Job.TaskId}' of job '{Job.JobId}' has no artifact store, so nothing can be stored or listed. " +
        "Turn them on by setting TaskEngineOptions.Artifacts, for example new TaskEngineOptions { Artifacts = new ArtifactStore(\"/var/lib/weaver/artifacts\") }, " +
        "and check AttemptArtifacts.IsEnabled to run with or without them. " +
        "A worker group on a store (SQLite, PostgreSQL) takes them from WorkerGroupOptions.Artifacts instead: an ArtifactStore in a folder every worker of the fleet shares.");
}
