using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Weaver;

/// <summary>
/// A store-backed coordinator's job rows: creating them, writing each change under the revision it read, reading jobs
/// another coordinator has, and taking over those whose coordinator stopped.
/// </summary>
internal sealed partial class DurableJobs(IWeaverStore store, JobCoordinatorOptions options, ILogger logger)
{
    private static readonly string Running = JobLifecycle.State.Running.ToString();

    public string Owner => options.Owner;

    public TimeProvider TimeProvider => options.TimeProvider;

    /// <summary>Stores a new job as it is before its first step.</summary>
    /// <exception cref="ArgumentException">The store already has a job with the id.</exception>
    public async Task CreateAsync(JobRun run, CancellationToken cancellationToken)
    {
        string document;
        lock (run.Gate)
        {
            document = JobDocuments.Write(run, Owner);
        }

        try
        {
            var created = await store.CreateJobAsync(new NewJob(run.Id.Value, Running, document), cancellationToken).ConfigureAwait(false);
            run.Row = new JobRow(created.Revision);
        }
        catch (DuplicateJobException duplicate)
        {
            throw new ArgumentException($"A job with id '{run.Id}' already exists in the store; job ids must be unique.", "spec", duplicate);
        }
    }

    /// <summary>
    /// Writes the job as it is now, unless a save that started later already did. Retries while the store does not
    /// answer. Returns false when another coordinator wrote the job since this one last did: this one lost it.
    /// </summary>
    public async Task<bool> SaveAsync(JobRun run, CancellationToken cancellationToken)
    {
        var row = run.Row!;
        var change = row.Changed();
        await row.SaveGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (row.Lost)
            {
                return false;
            }

            if (row.Saved >= change)
            {
                return true;
            }

            string state, document;
            long through;
            lock (run.Gate)
            {
                through = row.Changes;
                state = run.Lifecycle.Current.ToString();
                document = JobDocuments.Write(run, Owner);
            }

            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    if (await store.TryUpdateJobAsync(run.Id.Value, row.Revision, state, document, cancellationToken).ConfigureAwait(false) is not { } saved)
                    {
                        row.Lost = true;
                        LogLost(logger, run.Id.Value, Owner);
                        return false;
                    }

                    row.Revision = saved.Revision;
                    row.Saved = through;
                    return true;
                }
                catch (Exception error) when (error is not OperationCanceledException and not StoreRowException)
                {
                    var delay = TimeSpan.FromMilliseconds(Math.Min(5000, 50 * Math.Pow(2, attempt)));
                    LogSaveFailed(logger, run.Id.Value, attempt, delay, error);
                    await Task.Delay(delay, TimeProvider, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            row.SaveGate.Release();
        }
    }

    /// <summary>The job as its stored document says it is now, to read; null when the store has no such job.</summary>
    public async Task<JobRun?> ReadAsync(JobId id, CancellationToken cancellationToken)
    {
        var job = await store.GetJobAsync(id.Value, cancellationToken).ConfigureAwait(false);
        return job is null ? null : View(job);
    }

    /// <summary>The running jobs of the store.</summary>
    public async Task<IReadOnlyList<StoredJob>> ListRunningAsync(CancellationToken cancellationToken) =>
        [.. (await store.ListJobsAsync(cancellationToken).ConfigureAwait(false)).Where(job => job.State == Running)];

    /// <summary>
    /// Makes this coordinator the job's: when it is running and its coordinator stopped or is this one. Returns the job
    /// with its <see cref="JobRun.Row"/> set when taken; an ended job as read (no row); null when there is no such job,
    /// or another coordinator took it first, or (not <paramref name="required"/>) a live one has it.
    /// </summary>
    /// <exception cref="InvalidOperationException">(<paramref name="required"/>) A live coordinator has the job.</exception>
    public async Task<(JobRun? Run, string? PreviousOwner)> TryTakeOverAsync(JobId id, bool required, CancellationToken cancellationToken)
    {
        if (await store.GetJobAsync(id.Value, cancellationToken).ConfigureAwait(false) is not { } job)
        {
            return (null, null);
        }

        var document = JobDocuments.Read(job);
        if (job.State != Running)
        {
            return (View(job), document.Owner);
        }

        var now = await store.NowAsync(cancellationToken).ConfigureAwait(false);
        var stale = job.UpdatedAt + store.Leases.StaleAfter <= now;
        if (!stale && document.Owner != Owner)
        {
            return required
                ? throw new InvalidOperationException(
                    $"Job '{id}' is coordinated by '{document.Owner}', which wrote it at {job.UpdatedAt:O}: change it there. Another coordinator takes it over "
                    + $"only once that one stopped, when the job has not been written for {store.Leases.StaleAfter} (the store's LeaseOptions.StaleAfter).")
                : (null, null);
        }

        var run = JobDocuments.ToRun(document);
        string claimed;
        lock (run.Gate)
        {
            claimed = JobDocuments.Write(run, Owner);
        }

        if (await store.TryUpdateJobAsync(job.Id, job.Revision, Running, claimed, cancellationToken).ConfigureAwait(false) is not { } taken)
        {
            return required
                ? throw new InvalidOperationException($"Job '{id}' was taken over by another coordinator at the same moment; change it there.")
                : (null, null);
        }

        run.Row = new JobRow(taken.Revision);
        LogTakenOver(logger, id.Value, Owner, document.Owner);
        return (run, document.Owner);
    }

    /// <summary>Waits for a job to end, reading its row every poll interval.</summary>
    /// <exception cref="JobNotFoundException">The store has no such job.</exception>
    public async Task<JobResult> WaitForResultAsync(JobId id, CancellationToken cancellationToken)
    {
        while (true)
        {
            var run = await ReadAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new JobNotFoundException(id);
            if (run.Result is { } result)
            {
                return result;
            }

            await Task.Delay(options.PollInterval, TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The job's events as they are stored, from its first to its last, reading its row every poll interval.</summary>
    public async IAsyncEnumerable<JobEvent> WatchAsync(JobId id, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = 0;
        while (true)
        {
            var run = await ReadAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new JobNotFoundException(id);
            foreach (var entry in run.Events.Skip(seen))
            {
                yield return entry;
            }

            seen = run.Events.Count;
            if (run.Result is not null)
            {
                yield break;
            }

            await Task.Delay(options.PollInterval, TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    public void LogHeartbeatFailed(JobId id, Exception error) => LogHeartbeat(logger, id.Value, error);

    private static JobRun View(StoredJob job)
    {
        var run = JobDocuments.ToRun(JobDocuments.Read(job));
        if (JobLifecycle.IsTerminalState(run.Lifecycle.Current))
        {
            run.Result = JobCoordinator.ResultOf(run);
        }

        return run;
    }

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Job {JobId} was written by another coordinator since {Owner} last wrote it: {Owner} lets it go.")]
    private static partial void LogLost(ILogger logger, string jobId, string owner);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "Saving job {JobId} failed (try {Attempt}); trying again in {Delay}.")]
    private static partial void LogSaveFailed(ILogger logger, string jobId, int attempt, TimeSpan delay, Exception error);

    [LoggerMessage(EventId = 24, Level = LogLevel.Information, Message = "Job {JobId} taken over by {Owner} (its coordinator was {PreviousOwner}).")]
    private static partial void LogTakenOver(ILogger logger, string jobId, string owner, string? previousOwner);

    [LoggerMessage(EventId = 25, Level = LogLevel.Warning, Message = "The heartbeat of job {JobId} failed; the next one tries again.")]
    private static partial void LogHeartbeat(ILogger logger, string jobId, Exception error);
}
