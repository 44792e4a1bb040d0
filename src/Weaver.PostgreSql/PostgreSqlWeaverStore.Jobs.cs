using System.Data.Common;

namespace Weaver.PostgreSql;

public sealed partial class PostgreSqlWeaverStore
{
    private const string JobColumns = "id, state, document, revision, created_at, updated_at";

    private static readonly Dictionary<string, ArtifactKind> ArtifactKinds =
        Enum.GetValues<ArtifactKind>().ToDictionary(kind => kind.ToString(), StringComparer.Ordinal);

    /// <inheritdoc />
    public async ValueTask<StoredJob> CreateJobAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        RequireJobText(job.Id, job.State, job.Document);
        var writeId = Guid.NewGuid();
        return (await RunAsync<StoredJob?>($"create job '{job.Id}'", async (s, ct) =>
        {
            var now = await s.NowAsync(ct).ConfigureAwait(false);
            await using var insert = s.Command(
                $"""
                INSERT INTO {_s}.jobs (id, state, document, revision, created_at, updated_at, write_id)
                VALUES (@id, @state, @document, 1, @now, @now, @write)
                ON CONFLICT (id) DO NOTHING
                """).Text("id", job.Id).Text("state", job.State).Text("document", job.Document).Time("now", now).Uuid("write", writeId);
            if (await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 0)
            {
                throw new DuplicateJobException(job.Id);
            }

            return new StoredJob(job.Id, job.State, job.Document, 1, now, now);
        }, RecoverJob(job.Id, writeId), cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async ValueTask<StoredJob?> GetJobAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return await RunAsync($"read job '{id}'", async (s, ct) =>
        {
            var jobs = await ReadJobsAsync(s, $"SELECT {JobColumns} FROM {_s}.jobs WHERE id = @id", id, ct).ConfigureAwait(false);
            return jobs.Count == 0 ? null : jobs[0];
        }, recover: null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<StoredJob?> TryUpdateJobAsync(string id, long expectedRevision, string state, string document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        RequireJobText(id, state, document);
        var writeId = Guid.NewGuid();
        return await RunAsync($"update job '{id}'", async (s, ct) =>
        {
            var now = await s.NowAsync(ct).ConfigureAwait(false);
            await using var update = s.Command(
                $"""
                UPDATE {_s}.jobs SET state = @state, document = @document, revision = revision + 1, updated_at = @now, write_id = @write
                WHERE id = @id AND revision = @revision
                RETURNING {JobColumns}
                """).Text("state", state).Text("document", document).Time("now", now).Uuid("write", writeId).Text("id", id).Long("revision", expectedRevision);
            await using var reader = await update.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false) ? ReadJob(reader) : null;
        }, RecoverJob(id, writeId), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<StoredJob>> ListJobsAsync(CancellationToken cancellationToken = default) =>
        await RunAsync("list jobs", async (s, ct) =>
        {
            var jobs = await ReadJobsAsync(s, $"SELECT {JobColumns} FROM {_s}.jobs", null, ct).ConfigureAwait(false);
            jobs.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
            return (IReadOnlyList<StoredJob>)jobs;
        }, recover: null, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    /// <remarks>The artifact row is inserted from a locked, conditional read of the task row, so no take-back or commit comes between the check and the write.</remarks>
    public async ValueTask<bool> AppendArtifactAsync(StoredAttempt attempt, ArtifactRef artifact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(artifact);
        if (string.IsNullOrWhiteSpace(artifact.JobId) || string.IsNullOrWhiteSpace(artifact.TaskId) || string.IsNullOrWhiteSpace(artifact.Name))
        {
            throw new ArgumentException(
                $"An artifact needs a job id, a task id and a name, none empty or white space (got job '{artifact.JobId}', task '{artifact.TaskId}', name '{artifact.Name}').",
                nameof(artifact));
        }

        if (!Enum.IsDefined(artifact.Kind))
        {
            throw new ArgumentException($"The artifact's kind {artifact.Kind} is not one of {string.Join(", ", ArtifactKinds.Keys)}.", nameof(artifact));
        }

        RequireStorable(artifact.JobId, "The artifact's job id");
        RequireStorable(artifact.TaskId, "The artifact's task id");
        RequireStorable(artifact.Name, "The artifact's name");
        RequireStorable(artifact.ContentHash, "The artifact's content hash");
        RequireStorable(artifact.Url?.OriginalString, "The artifact's URL");
        var writeId = Guid.NewGuid();
        var operation = $"write of artifact '{artifact.Name}'";
        return await RunAsync($"record artifact '{artifact.Name}' of task '{attempt.TaskId}'", async (s, ct) =>
        {
            var now = await s.NowAsync(ct).ConfigureAwait(false);
            await using var insert = s.Command(
                $"""
                WITH holder AS (SELECT id FROM {_s}.tasks WHERE {HoldsLease} FOR UPDATE)
                INSERT INTO {_s}.artifacts
                    (job_id, task_id, attempt, name, kind, content_hash, length, url, created_at, writer_task_id, writer_epoch, write_id)
                SELECT @job_id, @task_id, @attempt, @name, @kind, @hash, @length, @url, @created_at, holder.id, @epoch, @write FROM holder
                """)
                .Text("id", attempt.TaskId).Long("epoch", attempt.Epoch).Time("now", now)
                .Text("job_id", artifact.JobId).Text("task_id", artifact.TaskId).Int("attempt", artifact.Attempt).Text("name", artifact.Name)
                .Text("kind", artifact.Kind.ToString()).Text("hash", artifact.ContentHash).Long("length", artifact.Length)
                .Text("url", artifact.Url?.OriginalString).Time("created_at", artifact.CreatedAt).Uuid("write", writeId);
            if (await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1)
            {
                return true;
            }

            await RecordRejectedAsync(s, attempt, TaskEvents.Rejected(now, attempt.Number, attempt.Owner, attempt.Epoch, operation), writeId, ct)
                .ConfigureAwait(false);
            return false;
        }, async (s, ct) =>
        {
            await using var command = s.Command($"SELECT 1 FROM {_s}.artifacts WHERE write_id = @write").Uuid("write", writeId);
            if (await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is not null)
            {
                return Recovered<bool>.Yes(true);
            }

            return await RecoverWrite(writeId)(s, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ArtifactRef>> ListArtifactsAsync(string jobId, string taskId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentNullException.ThrowIfNull(taskId);
        return await RunAsync($"list the artifacts of '{jobId}/{taskId}'", async (s, ct) =>
        {
            await using var command = s.Command(
                $"""
                SELECT seq, job_id, task_id, attempt, name, kind, content_hash, length, url, created_at
                FROM {_s}.artifacts WHERE job_id = @job_id AND task_id = @task_id ORDER BY seq
                """).Text("job_id", jobId).Text("task_id", taskId);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var artifacts = new List<ArtifactRef>();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var kindText = reader.GetString(5);
                if (!ArtifactKinds.TryGetValue(kindText, out var kind))
                {
                    throw new StoreRowException($"{Schema}.artifacts", reader.GetInt64(0).ToString(System.Globalization.CultureInfo.InvariantCulture),
                        $"its kind '{kindText}' is not an artifact kind; allowed: {string.Join(", ", ArtifactKinds.Keys)}.");
                }

                var url = reader.NullableText(8);
                artifacts.Add(new ArtifactRef(reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4), kind,
                    reader.NullableText(6), reader.GetInt64(7), url is null ? null : new Uri(url, UriKind.RelativeOrAbsolute), reader.Time(9)));
            }

            return (IReadOnlyList<ArtifactRef>)artifacts;
        }, recover: null, cancellationToken).ConfigureAwait(false);
    }

    private Func<Session, CancellationToken, Task<Recovered<StoredJob?>>> RecoverJob(string id, Guid writeId) => async (s, ct) =>
    {
        var jobs = await ReadJobsAsync(s, $"SELECT {JobColumns} FROM {_s}.jobs WHERE id = @id AND write_id = @write", id, ct, writeId).ConfigureAwait(false);
        return jobs.Count == 0 ? Recovered<StoredJob?>.No : Recovered<StoredJob?>.Yes(jobs[0]);
    };

    private async Task<List<StoredJob>> ReadJobsAsync(Session s, string sql, string? id, CancellationToken ct, Guid? writeId = null)
    {
        await using var command = s.Command(sql);
        if (id is not null)
        {
            command.Text("id", id);
        }

        if (writeId is { } write)
        {
            command.Uuid("write", write);
        }

        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var jobs = new List<StoredJob>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            jobs.Add(ReadJob(reader));
        }

        return jobs;
    }

    private static StoredJob ReadJob(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.Time(4), reader.Time(5));

    /// <summary>As the in-memory store: a job id is not empty; its state and document are not null (any text, as given).</summary>
    private static void RequireJobText(string id, string state, string document)
    {
        if (string.IsNullOrEmpty(id))
        {
            throw new ArgumentException("A job id must not be null or empty; pass the job's id (JobId.Value).", nameof(id));
        }

        if (state is null || document is null)
        {
            throw new ArgumentException($"Job '{id}': its state and document must not be null; pass the state's name and the document as JSON text.", nameof(state));
        }

        RequireStorable(id, "The job id");
        RequireStorable(state, "The job state");
        RequireStorable(document, "The job document");
    }
}
