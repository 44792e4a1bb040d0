namespace Weaver;

/// <summary>
/// The in-memory store's jobs (<see cref="TaskEngine"/> as <see cref="IWeaverStore"/>): rows by id, each change a
/// compare-and-set on the row's revision under one short lock.
/// </summary>
/// <param name="time">The clock of created and updated times.</param>
internal sealed class InMemoryJobTable(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StoredJob> _jobs = new(StringComparer.Ordinal);

    /// <summary>Stores a new job at revision 1.</summary>
    /// <param name="job">The job.</param>
    /// <returns>The stored job.</returns>
    /// <exception cref="ArgumentException">Its id is empty, or its state or document is null.</exception>
    /// <exception cref="DuplicateJobException">Its id is in use; the stored job is left as it was.</exception>
    public StoredJob Create(NewJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (string.IsNullOrEmpty(job.Id))
        {
            throw new ArgumentException("A job id must not be null or empty; pass the job's id (JobId.Value).", nameof(job));
        }

        RequireText(job.State, job.Document, nameof(job));
        var now = time.GetUtcNow();
        var stored = new StoredJob(job.Id, job.State, job.Document, 1, now, now);
        lock (_gate)
        {
            if (!_jobs.TryAdd(job.Id, stored))
            {
                throw new DuplicateJobException(job.Id);
            }
        }

        return stored;
    }

    /// <summary>The job, or null.</summary>
    /// <param name="id">Its id.</param>
    /// <returns>The job.</returns>
    public StoredJob? Get(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            return _jobs.GetValueOrDefault(id);
        }
    }

    /// <summary>Replaces state and document if the revision is still <paramref name="expectedRevision"/>.</summary>
    /// <param name="id">The job's id.</param>
    /// <param name="expectedRevision">The revision the caller read.</param>
    /// <param name="state">The new state.</param>
    /// <param name="document">The new document.</param>
    /// <returns>The updated job, or null (changing nothing) when the revision moved on or there is no such job.</returns>
    public StoredJob? TryUpdate(string id, long expectedRevision, string state, string document)
    {
        ArgumentNullException.ThrowIfNull(id);
        RequireText(state, document, nameof(state));
        lock (_gate)
        {
            if (!_jobs.TryGetValue(id, out var current) || current.Revision != expectedRevision)
            {
                return null;
            }

            var updated = current with { State = state, Document = document, Revision = current.Revision + 1, UpdatedAt = time.GetUtcNow() };
            _jobs[id] = updated;
            return updated;
        }
    }

    /// <summary>Every job, by id (ordinal).</summary>
    /// <returns>The jobs.</returns>
    public IReadOnlyList<StoredJob> List()
    {
        lock (_gate)
        {
            return [.. _jobs.Values.OrderBy(job => job.Id, StringComparer.Ordinal)];
        }
    }

    private static void RequireText(string? state, string? document, string parameter)
    {
        if (state is null || document is null)
        {
            throw new ArgumentException("A job's state and document must not be null; pass the state's name and the document as JSON text.", parameter);
        }
    }
}
