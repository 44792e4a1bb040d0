using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Weaver;

/// <summary>
/// Stores the artifacts of task attempts (files, captured stdout and stderr, links) under one root folder, and lists
/// and reads them back by job and task. Content is addressed by its SHA-256, so identical content is stored once;
/// names are logical and never become file paths, so no name or id can reach outside the root. See ADR 0014.
/// </summary>
/// <remarks>
/// The layout under the root: <c>blobs/sha256/&lt;first 2 hex digits&gt;/&lt;hash&gt;</c> for content,
/// <c>jobs/&lt;SHA-256 of the job id&gt;.jsonl</c> for each job's metadata (one JSON line per artifact, in put order)
/// and <c>tmp/</c> for content being written. Any number of stores in one process may share a root; writers in
/// several processes may not share one job's metadata.
/// </remarks>
public sealed class ArtifactStore
{
    private const int CopyBufferSize = 81920;

    // One process-wide lock per stripe rather than per store, so two stores over one root still append one line at a
    // time to a job's file; striping by the file name's hash keeps memory fixed however many jobs there are.
    private static readonly Lock[] AppendLocks = [.. Enumerable.Range(0, 64).Select(_ => new Lock())];

    private readonly TimeProvider _timeProvider;
    private readonly string _blobRoot;
    private readonly string _jobRoot;
    private readonly string _tempRoot;

    /// <summary>Creates a store over <paramref name="root"/>. Nothing is written until the first put.</summary>
    /// <param name="root">The folder that holds everything the store writes; made on the first put if missing.</param>
    /// <param name="timeProvider">The clock for <see cref="ArtifactRef.CreatedAt"/>; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException"><paramref name="root"/> is null, empty or white space.</exception>
    public ArtifactStore(string root, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _blobRoot = Path.Combine(Root, "blobs", "sha256");
        _jobRoot = Path.Combine(Root, "jobs");
        _tempRoot = Path.Combine(Root, "tmp");
    }

    /// <summary>The full path of the folder that holds everything the store writes.</summary>
    public string Root { get; }

    /// <summary>Stores <paramref name="content"/>, read to its end, as an artifact of one attempt.</summary>
    /// <param name="jobId">The job: not empty or white space, no control characters.</param>
    /// <param name="taskId">The task: not empty or white space, no control characters.</param>
    /// <param name="attempt">The attempt's number, from 1.</param>
    /// <param name="name">The artifact's logical relative path, such as <c>reports/summary.html</c> (rules in ADR 0014).</param>
    /// <param name="content">The content, read from its current position to its end; not disposed.</param>
    /// <param name="kind"><see cref="ArtifactKind.File"/>, <see cref="ArtifactKind.Stdout"/> or <see cref="ArtifactKind.Stderr"/>.</param>
    /// <param name="cancellationToken">Stops the copy; nothing is recorded then.</param>
    /// <returns>The recorded artifact, with its content's hash and length.</returns>
    /// <exception cref="ArgumentException">An argument breaks the rules; the message names it, says what is wrong and what is allowed. Nothing is written.</exception>
    public Task<ArtifactRef> PutAsync(
        string jobId,
        string taskId,
        int attempt,
        string name,
        Stream content,
        ArtifactKind kind = ArtifactKind.File,
        CancellationToken cancellationToken = default) =>
        PutAsync(jobId, taskId, attempt, name, content, kind, fence: null, cancellationToken);

    /// <summary><see cref="PutAsync(string, string, int, string, Stream, ArtifactKind, CancellationToken)"/>, guarded by <paramref name="fence"/> when it is not null.</summary>
    internal async Task<ArtifactRef> PutAsync(
        string jobId,
        string taskId,
        int attempt,
        string name,
        Stream content,
        ArtifactKind kind,
        IArtifactFence? fence,
        CancellationToken cancellationToken)
    {
        ValidateAttempt(jobId, taskId, attempt, name);
        ArgumentNullException.ThrowIfNull(content);
        ArtifactArguments.ContentKind(kind, nameof(kind));
        fence?.Check(name);

        var (hash, length) = await StoreBlobAsync(content, cancellationToken).ConfigureAwait(false);
        return await RecordAsync(jobId, taskId, attempt, name, kind, hash, length, url: null, fence, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores a copy of the file at <paramref name="sourcePath"/> as a <see cref="ArtifactKind.File"/> artifact of one attempt.</summary>
    /// <param name="jobId">The job: not empty or white space, no control characters.</param>
    /// <param name="taskId">The task: not empty or white space, no control characters.</param>
    /// <param name="attempt">The attempt's number, from 1.</param>
    /// <param name="name">The artifact's logical relative path (rules in ADR 0014); it need not match the source file's name.</param>
    /// <param name="sourcePath">The file to copy.</param>
    /// <param name="cancellationToken">Stops the copy; nothing is recorded then.</param>
    /// <returns>The recorded artifact, with its content's hash and length.</returns>
    /// <exception cref="ArgumentException">An argument breaks the rules; nothing is written.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="sourcePath"/>.</exception>
    public Task<ArtifactRef> PutFileAsync(
        string jobId,
        string taskId,
        int attempt,
        string name,
        string sourcePath,
        CancellationToken cancellationToken = default) =>
        PutFileAsync(jobId, taskId, attempt, name, sourcePath, fence: null, cancellationToken);

    /// <summary><see cref="PutFileAsync(string, string, int, string, string, CancellationToken)"/>, guarded by <paramref name="fence"/> when it is not null.</summary>
    internal async Task<ArtifactRef> PutFileAsync(
        string jobId,
        string taskId,
        int attempt,
        string name,
        string sourcePath,
        IArtifactFence? fence,
        CancellationToken cancellationToken)
    {
        ValidateAttempt(jobId, taskId, attempt, name);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourcePath);
        fence?.Check(name);

        var source = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (source.ConfigureAwait(false))
        {
            var (hash, length) = await StoreBlobAsync(source, cancellationToken).ConfigureAwait(false);
            return await RecordAsync(jobId, taskId, attempt, name, ArtifactKind.File, hash, length, url: null, fence, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stores <paramref name="text"/> as UTF-8 (without a byte order mark), typically an attempt's captured output. A lone
    /// surrogate in the text is stored as U+FFFD, as UTF-8 encoding does everywhere.
    /// </summary>
    /// <param name="jobId">The job: not empty or white space, no control characters.</param>
    /// <param name="taskId">The task: not empty or white space, no control characters.</param>
    /// <param name="attempt">The attempt's number, from 1.</param>
    /// <param name="name">The artifact's logical relative path, such as <c>stdout.txt</c> (rules in ADR 0014).</param>
    /// <param name="text">The text to store.</param>
    /// <param name="kind"><see cref="ArtifactKind.Stdout"/>, <see cref="ArtifactKind.Stderr"/> or <see cref="ArtifactKind.File"/>.</param>
    /// <param name="cancellationToken">Stops the write; nothing is recorded then.</param>
    /// <returns>The recorded artifact, with the hash and length of the UTF-8 bytes.</returns>
    /// <exception cref="ArgumentException">An argument breaks the rules; nothing is written.</exception>
    public Task<ArtifactRef> PutTextAsync(
        string jobId,
        string taskId,
        int attempt,
        string name,
        string text,
        ArtifactKind kind,
        CancellationToken cancellationToken = default) =>
        PutTextAsync(jobId, taskId, attempt, name, text, kind, fence: null, cancellationToken);

    /// <summary><see cref="PutTextAsync(string, string, int, string, string, ArtifactKind, CancellationToken)"/>, guarded by <paramref name="fence"/> when it is not null.</summary>
    internal async Task<ArtifactRef> PutTextAsync(
        string jobId,
        string taskId,
        int attempt,
        string name,
        string text,
        ArtifactKind kind,
        IArtifactFence? fence,
        CancellationToken cancellationToken)
    {
        ValidateAttempt(jobId, taskId, attempt, name);
        ArgumentNullException.ThrowIfNull(text);
        ArtifactArguments.ContentKind(kind, nameof(kind));
        fence?.Check(name);

        using var content = new MemoryStream(Encoding.UTF8.GetBytes(text), writable: false);
        var (hash, length) = await StoreBlobAsync(content, cancellationToken).ConfigureAwait(false);
        return await RecordAsync(jobId, taskId, attempt, name, kind, hash, length, url: null, fence, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records a link to content stored elsewhere as a <see cref="ArtifactKind.Url"/> artifact of one attempt.</summary>
    /// <param name="jobId">The job: not empty or white space, no control characters.</param>
    /// <param name="taskId">The task: not empty or white space, no control characters.</param>
    /// <param name="attempt">The attempt's number, from 1.</param>
    /// <param name="name">The artifact's logical relative path (rules in ADR 0014).</param>
    /// <param name="url">An absolute http or https URL.</param>
    /// <returns>The recorded artifact, with no hash and length 0.</returns>
    /// <exception cref="ArgumentException">An argument breaks the rules; nothing is written.</exception>
    public ArtifactRef PutUrl(string jobId, string taskId, int attempt, string name, Uri url) =>
        PutUrl(jobId, taskId, attempt, name, url, fence: null);

    /// <summary><see cref="PutUrl(string, string, int, string, Uri)"/>, guarded by <paramref name="fence"/> when it is not null.</summary>
    internal ArtifactRef PutUrl(string jobId, string taskId, int attempt, string name, Uri url, IArtifactFence? fence)
    {
        ValidateAttempt(jobId, taskId, attempt, name);
        ArtifactArguments.Url(url, nameof(url));
        var recording = RecordAsync(jobId, taskId, attempt, name, ArtifactKind.Url, hash: null, length: 0, url, fence, CancellationToken.None);
        // A fence over this store's own lines records synchronously; one over a database waits for its answer here.
        return SynchronousWait.Result(recording);
    }

    /// <summary>The artifacts of a job, or of one of its tasks, in the order they were put.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="taskId">A task of the job to list alone; every task's when null.</param>
    /// <returns>The artifacts; empty for a job with none.</returns>
    /// <exception cref="ArgumentException">An id is empty or white space, or has a control character or a lone surrogate.</exception>
    /// <exception cref="InvalidDataException">A complete line of the job's metadata is not an artifact record.</exception>
    public IReadOnlyList<ArtifactRef> List(string jobId, string? taskId = null)
    {
        ArtifactArguments.Id(jobId, nameof(jobId), "Job id");
        if (taskId is not null)
        {
            ArtifactArguments.Id(taskId, nameof(taskId), "Task id");
        }

        var path = JobFile(jobId);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }

        var artifacts = new List<ArtifactRef>();
        ReadOnlyMemory<byte> remaining = bytes;
        var lineNumber = 0;
        // A last line without its newline is an append still under way in another process, or one a crash cut
        // short (the next append trims it): it was never acknowledged, so it is not listed.
        for (var end = remaining.Span.IndexOf((byte)'\n'); end >= 0; end = remaining.Span.IndexOf((byte)'\n'))
        {
            lineNumber++;
            var artifact = ParseLine(remaining[..end], path, lineNumber);
            remaining = remaining[(end + 1)..];
            // The file name is a hash of the job id, so compare the id itself rather than trust the name.
            if (artifact.JobId == jobId && (taskId is null || artifact.TaskId == taskId))
            {
                artifacts.Add(artifact);
            }
        }

        return artifacts;
    }

    /// <summary>Opens the content of a stored artifact for reading.</summary>
    /// <param name="artifact">An artifact this store recorded (or one over the same root).</param>
    /// <returns>A read-only stream over the content; the caller disposes it.</returns>
    /// <exception cref="InvalidOperationException">The artifact is a URL, which has no content in the store.</exception>
    /// <exception cref="ArgumentException">The artifact's hash is not a lowercase hex SHA-256, so it was not made by a store.</exception>
    /// <exception cref="FileNotFoundException">No content with the artifact's hash is stored under this root, or its length differs.</exception>
    public Stream OpenRead(ArtifactRef artifact)
    {
        var path = BlobPathOf(artifact);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, CopyBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw NotStored(artifact, path, exception);
        }

        var storedLength = stream.Length;
        if (storedLength != artifact.Length)
        {
            stream.Dispose();
            throw new FileNotFoundException(
                $"Artifact '{artifact.Name}' of job '{artifact.JobId}' says its content is {artifact.Length} bytes, but the stored content with hash {artifact.ContentHash} is {storedLength} bytes; the reference was not made by this store.",
                path);
        }

        return stream;
    }

    /// <summary>Reads the whole content of a stored artifact and checks it against the artifact's hash.</summary>
    /// <param name="artifact">An artifact this store recorded (or one over the same root).</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The content.</returns>
    /// <exception cref="InvalidOperationException">The artifact is a URL, which has no content in the store, or its content is larger than an array can hold.</exception>
    /// <exception cref="ArgumentException">The artifact's hash is not a lowercase hex SHA-256.</exception>
    /// <exception cref="FileNotFoundException">No content with the artifact's hash is stored under this root.</exception>
    /// <exception cref="InvalidDataException">The stored content no longer has the hash it is stored under.</exception>
    public async Task<byte[]> ReadAllBytesAsync(ArtifactRef artifact, CancellationToken cancellationToken = default)
    {
        var stream = OpenRead(artifact);
        if (artifact.Length > Array.MaxLength)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"Artifact '{artifact.Name}' of job '{artifact.JobId}' is {artifact.Length} bytes, too large for one array; read it with OpenRead.");
        }

        await using (stream.ConfigureAwait(false))
        {
            var bytes = new byte[artifact.Length];
            await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != artifact.ContentHash)
            {
                throw new InvalidDataException($"The stored content of artifact '{artifact.Name}' of job '{artifact.JobId}' does not match its hash {artifact.ContentHash}; the blob is corrupt.");
            }

            return bytes;
        }
    }

    private static void ValidateAttempt(string jobId, string taskId, int attempt, string name)
    {
        ArtifactArguments.Id(jobId, nameof(jobId), "Job id");
        ArtifactArguments.Id(taskId, nameof(taskId), "Task id");
        ArtifactArguments.Attempt(attempt, nameof(attempt));
        ArtifactArguments.Name(name, nameof(name));
    }

    private static ArtifactRef ParseLine(ReadOnlyMemory<byte> line, string path, int lineNumber)
    {
        try
        {
            return ArtifactJson.FromLine(line);
        }
        catch (FormatException exception)
        {
            throw new InvalidDataException($"Line {lineNumber} of '{path}' is not an artifact record: {exception.Message}", exception);
        }
    }

    private static FileNotFoundException NotStored(ArtifactRef artifact, string path, Exception? inner) =>
        new($"Artifact '{artifact.Name}' of job '{artifact.JobId}' has content hash {artifact.ContentHash}, which is not stored under this store's root; the reference was not made by this store.", path, inner);

    private string BlobPathOf(ArtifactRef artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        if (artifact.Kind == ArtifactKind.Url)
        {
            throw new InvalidOperationException($"Artifact '{artifact.Name}' of job '{artifact.JobId}' is a URL ({artifact.Url}); it has no content in the store. Fetch the URL instead.");
        }

        // The hash becomes a path, so only the exact shape the store writes is accepted: a forged '../x' never is.
        if (!ArtifactArguments.IsContentHash(artifact.ContentHash))
        {
            throw new ArgumentException($"Artifact '{artifact.Name}' of job '{artifact.JobId}' has content hash '{artifact.ContentHash}', which is not 64 lowercase hex digits; the reference was not made by this store.", nameof(artifact));
        }

        return BlobPath(artifact.ContentHash!);
    }

    private string BlobPath(string hash) => Path.Combine(_blobRoot, hash[..2], hash);

    private string JobFile(string jobId) =>
        Path.Combine(_jobRoot, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(jobId))) + ".jsonl");

    /// <summary>
    /// Copies <paramref name="content"/> into a new temp file while hashing it, makes it durable, then moves it to
    /// its content address; when that content is already stored, the temp file is dropped instead.
    /// </summary>
    private async Task<(string Hash, long Length)> StoreBlobAsync(Stream content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_tempRoot);
        var tempPath = Path.Combine(_tempRoot, Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            string hash;
            long length = 0;
            var temp = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferSize, FileOptions.Asynchronous);
            await using (temp.ConfigureAwait(false))
            {
                using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
                try
                {
                    int read;
                    while ((read = await content.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        hasher.AppendData(buffer, 0, read);
                        await temp.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        length += read;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                hash = Convert.ToHexStringLower(hasher.GetHashAndReset());
                // On disk before it is named: a metadata line must never point at content a crash could lose.
                temp.Flush(flushToDisk: true);
            }

            var blobPath = BlobPath(hash);
            if (!File.Exists(blobPath))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(blobPath)!);
                try
                {
                    File.Move(tempPath, blobPath, overwrite: false);
                }
                catch (IOException) when (File.Exists(blobPath))
                {
                    // Another put of the same content moved its copy first; the bytes are the same, so keep that one.
                }
            }

            return (hash, length);
        }
        finally
        {
            File.Delete(tempPath);
        }
    }

    /// <summary>
    /// Records the artifact, the step that makes it exist: by appending its metadata line, or through
    /// <paramref name="fence"/> when there is one, so it is recorded only while the writer may still write (and nothing
    /// is recorded otherwise). The fence either appends the line under its guard or records the metadata where it keeps
    /// it (a store-backed attempt: its <see cref="IWeaverStore"/>).
    /// </summary>
    private ValueTask<ArtifactRef> RecordAsync(
        string jobId, string taskId, int attempt, string name, ArtifactKind kind, string? hash, long length, Uri? url, IArtifactFence? fence, CancellationToken cancellationToken) =>
        fence is null
            ? ValueTask.FromResult(Append(jobId, taskId, attempt, name, kind, hash, length, url))
            : fence.RecordAsync(
                new ArtifactRef(jobId, taskId, attempt, name, kind, hash, length, url, _timeProvider.GetUtcNow()),
                () => Append(jobId, taskId, attempt, name, kind, hash, length, url),
                cancellationToken);

    private ArtifactRef Append(string jobId, string taskId, int attempt, string name, ArtifactKind kind, string? hash, long length, Uri? url)
    {
        var path = JobFile(jobId);
        Directory.CreateDirectory(_jobRoot);
        lock (AppendLocks[(uint)StringComparer.Ordinal.GetHashCode(Path.GetFileName(path)) % (uint)AppendLocks.Length])
        {
            // Stamped under the lock, so times never go back along the put order.
            var artifact = new ArtifactRef(jobId, taskId, attempt, name, kind, hash, length, url, _timeProvider.GetUtcNow());
            var line = ArtifactJson.ToLine(artifact);
            using var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, bufferSize: 0);
            TrimUnfinishedLine(file);
            file.Seek(0, SeekOrigin.End);
            // One write of the whole line with its newline, so a reader sees all of it or an unterminated tail it skips.
            file.Write(line);
            file.Flush(flushToDisk: true);
            return artifact;
        }
    }

    /// <summary>Drops a last line a crash cut short (no newline), so the next line starts on a line of its own.</summary>
    private static void TrimUnfinishedLine(FileStream file)
    {
        var length = file.Length;
        if (length == 0)
        {
            return;
        }

        Span<byte> buffer = stackalloc byte[512];
        var position = length;
        var keep = 0L;
        while (position > 0)
        {
            var count = (int)Math.Min(buffer.Length, position);
            position -= count;
            file.Position = position;
            file.ReadExactly(buffer[..count]);
            var newline = buffer[..count].LastIndexOf((byte)'\n');
            if (newline >= 0)
            {
                keep = position + newline + 1;
                break;
            }
        }

        if (keep != length)
        {
            file.SetLength(keep);
        }
    }
}
