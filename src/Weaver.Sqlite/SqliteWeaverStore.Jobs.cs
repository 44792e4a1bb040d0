using System.Globalization;
using static Weaver.Sqlite.SqliteRows;

namespace Weaver.Sqlite;

public sealed partial class SqliteWeaverStore
{
    private const string JobColumns = "id, state, document, revision, created_at, updated_at";
    private const string ArtifactColumns = "seq, job_id, task_id, attempt, name, kind, content_hash, length, url, created_at";

    /// <inheritdoc />
    public async ValueTask<StoredJob> CreateJobAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (string.IsNullOrWhiteSpace(job.Id))
        {
            throw new ArgumentException($"A job id must not be empty or white space (got '{job.Id}').", nameof(job));
        }

        RequireJobState(job.State, job.Id, nameof(job));
        RequireDocument(job.Document, job.Id, nameof(job));
        return await WriteAsync(
            "creating a job",
            session =>
            {
                var inserted = session.Execute(
                    """
                    INSERT INTO jobs (id, state, document, revision, created_at, updated_at) VALUES ($id, $state, $document, 1, $now, $now)
                    ON CONFLICT (id) DO NOTHING
                    """,
                    ("$id", job.Id),
                    ("$state", job.State),
                    ("$document", job.Document),
                    ("$now", session.NowTicks));
                return inserted == 1
                    ? new StoredJob(job.Id, job.State, job.Document, 1, session.Now, session.Now)
                    : throw new DuplicateJobException(job.Id);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<StoredJob?> GetJobAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return await ReadAsync(
            "reading a job",
            session => session.QuerySingle($"SELECT {JobColumns} FROM jobs WHERE id = $id", ReadJob, ("$id", id)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<StoredJob?> TryUpdateJobAsync(string id, long expectedRevision, string state, string document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        RequireJobState(state, id, nameof(state));
        RequireDocument(document, id, nameof(document));
        return await WriteAsync(
            "updating a job",
            session => session.QuerySingle(
                $"""
                UPDATE jobs SET state = $state, document = $document, revision = revision + 1, updated_at = $now
                WHERE id = $id AND revision = $expected
                RETURNING {JobColumns}
                """,
                ReadJob,
                ("$id", id),
                ("$expected", expectedRevision),
                ("$state", state),
                ("$document", document),
                ("$now", session.NowTicks)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<StoredJob>> ListJobsAsync(CancellationToken cancellationToken = default)
    {
        var jobs = await ReadAsync("listing jobs", session => session.Query($"SELECT {JobColumns} FROM jobs", ReadJob), cancellationToken).ConfigureAwait(false);
        jobs.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return jobs;
    }

    /// <inheritdoc />
    public async ValueTask<bool> AppendArtifactAsync(StoredAttempt attempt, ArtifactRef artifact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(artifact);
        if (string.IsNullOrWhiteSpace(artifact.JobId) || string.IsNullOrWhiteSpace(artifact.TaskId) || string.IsNullOrEmpty(artifact.Name))
        {
            throw new ArgumentException(
                $"An artifact needs a job id, a task id and a name; got job '{artifact.JobId}', task '{artifact.TaskId}', name '{artifact.Name}'.", nameof(artifact));
        }

        if (!Enum.IsDefined(artifact.Kind))
        {
            throw new ArgumentException(
                $"Artifact '{artifact.Name}': its kind {artifact.Kind} is not an ArtifactKind ({string.Join(", ", Enum.GetNames<ArtifactKind>())}).", nameof(artifact));
        }

        return await WriteAsync(
            "recording an artifact",
            session =>
            {
                // One conditional write: the row is inserted only while the attempt holds the task's live lease.
                var inserted = session.Execute(
                    $"""
                    INSERT INTO artifacts (job_id, task_id, attempt, name, kind, content_hash, length, url, created_at, written_by_task, written_by_epoch)
                    SELECT $job, $jobTask, $attempt, $name, $kind, $hash, $length, $url, $createdAt, $id, $epoch
                    WHERE EXISTS (SELECT 1 FROM tasks WHERE {Fence})
                    """,
                    [
                        .. FenceParameters(session, attempt),
                        ("$job", artifact.JobId),
                        ("$jobTask", artifact.TaskId),
                        ("$attempt", artifact.Attempt),
                        ("$name", artifact.Name),
                        ("$kind", artifact.Kind.ToString()),
                        ("$hash", artifact.ContentHash),
                        ("$length", artifact.Length),
                        ("$url", artifact.Url?.OriginalString),
                        ("$createdAt", artifact.CreatedAt.UtcTicks),
                    ]);
                if (inserted == 1)
                {
                    return true;
                }

                InsertRejected(
                    session, attempt, TaskEvents.Rejected(session.Now, attempt.Number, attempt.Owner, attempt.Epoch, $"write of artifact '{artifact.Name}'"));
                return false;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ArtifactRef>> ListArtifactsAsync(string jobId, string taskId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentNullException.ThrowIfNull(taskId);
        return await ReadAsync(
            "listing artifacts",
            session => session.Query(
                $"SELECT {ArtifactColumns} FROM artifacts WHERE job_id = $job AND task_id = $task ORDER BY seq",
                ReadArtifact,
                ("$job", jobId),
                ("$task", taskId)),
            cancellationToken).ConfigureAwait(false);
    }

    private static StoredJob ReadJob(Microsoft.Data.Sqlite.SqliteDataReader reader)
    {
        var id = reader.GetString(0);
        return new StoredJob(
            id,
            reader.GetString(1),
            reader.GetString(2),
            reader.GetInt64(3),
            Instant("jobs", id, reader.GetInt64(4), "created_at"),
            Instant("jobs", id, reader.GetInt64(5), "updated_at"));
    }

    private static ArtifactRef ReadArtifact(Microsoft.Data.Sqlite.SqliteDataReader reader)
    {
        var rowId = reader.GetInt64(0).ToString(CultureInfo.InvariantCulture);
        var url = reader.IsDBNull(8) ? null : reader.GetString(8);
        return new ArtifactRef(
            reader.GetString(1),
            reader.GetString(2),
            reader.GetInt32(3),
            reader.GetString(4),
            ArtifactKindOf(rowId, reader.IsDBNull(5) ? null : reader.GetString(5)),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.GetInt64(7),
            url is null ? null : new Uri(url, UriKind.RelativeOrAbsolute),
            Instant("artifacts", rowId, reader.GetInt64(9), "created_at"));
    }

    private static void RequireJobState(string state, string jobId, string parameter)
    {
        // The state's name is the caller's (a JobLifecycle or SagaLifecycle state): kept as given, like the document.
        if (state is null)
        {
            throw new ArgumentException($"Job '{jobId}': its state is null; pass the name of its job or saga state.", parameter);
        }
    }

    private static void RequireDocument(string document, string jobId, string parameter)
    {
        if (document is null)
        {
            throw new ArgumentException($"Job '{jobId}': its document is null; pass its JSON text (for example '{{}}').", parameter);
        }
    }
}
