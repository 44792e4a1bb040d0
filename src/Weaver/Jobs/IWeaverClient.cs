namespace Weaver;

/// <summary>Submits jobs, reports on them, cancels them and hands back their results.</summary>
public interface IWeaverClient
{
    /// <summary>Validates and submits a job; the tasks without dependencies are queued at once.</summary>
    /// <param name="spec">The job.</param>
    /// <param name="cancellationToken">Stops the call before the job is accepted.</param>
    /// <returns>The job's id: <see cref="JobSpec.Id"/> when set, otherwise a generated one.</returns>
    /// <exception cref="InvalidJobSpecException">The spec is invalid; nothing was submitted.</exception>
    /// <exception cref="ArgumentException">A job with the same id was already submitted, or a task's kind has no handler.</exception>
    Task<JobId> SubmitJobAsync(JobSpec spec, CancellationToken cancellationToken = default);

    /// <summary>The job and each of its tasks as they are now.</summary>
    /// <param name="id">The job.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The job's status.</returns>
    /// <exception cref="JobNotFoundException">No job has that id.</exception>
    Task<JobStatus> GetStatusAsync(JobId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels a job that has not ended: its queued, running and retry-scheduled tasks are cancelled (a running handler's
    /// cancellation token is cancelled) and its pending ones will never run. Idempotent.
    /// </summary>
    /// <param name="id">The job.</param>
    /// <param name="cancellationToken">Stops the call before it changes anything.</param>
    /// <returns>What this call cancelled; <see cref="CancelAck.AlreadyEnded"/> when the job had already ended.</returns>
    /// <exception cref="JobNotFoundException">No job has that id.</exception>
    Task<CancelAck> CancelJobAsync(JobId id, CancellationToken cancellationToken = default);

    /// <summary>The result of a job that has ended.</summary>
    /// <param name="id">The job.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>How the job ended and what its tasks produced.</returns>
    /// <exception cref="JobNotFoundException">No job has that id.</exception>
    /// <exception cref="InvalidOperationException">The job has not ended; use <see cref="WaitForJobAsync"/>.</exception>
    Task<JobResult> GetResultAsync(JobId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Why the job is where it is, or ended as it did: each task's attempts (action, observation, outcome), every decision
    /// (evidence, policy, change), the saga's compensations and the audit notes, as data and as readable text.
    /// </summary>
    /// <param name="id">The job.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The explanation; <see cref="JobExplanation.Text"/> reads it out.</returns>
    /// <exception cref="JobNotFoundException">No job has that id.</exception>
    Task<JobExplanation> ExplainAsync(JobId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds an audit note to a job: the one change allowed on a job, or saga, that has ended. Notes are listed by
    /// <see cref="GetStatusAsync"/> and <see cref="ExplainAsync"/>; they never change the job's state, tasks or events.
    /// </summary>
    /// <param name="id">The job.</param>
    /// <param name="key">What the note is, such as <c>ticket</c>; not empty or white space.</param>
    /// <param name="value">The note.</param>
    /// <param name="cancellationToken">Stops the call before it changes anything.</param>
    /// <returns>A task that completes once the note is added.</returns>
    /// <exception cref="JobNotFoundException">No job has that id.</exception>
    Task AnnotateAsync(JobId id, string key, string value, CancellationToken cancellationToken = default);

    /// <summary>Waits until the job has ended.</summary>
    /// <param name="id">The job.</param>
    /// <param name="cancellationToken">Stops waiting (not the job).</param>
    /// <returns>How the job ended and what its tasks produced.</returns>
    /// <exception cref="JobNotFoundException">No job has that id.</exception>
    Task<JobResult> WaitForJobAsync(JobId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// The job's events: every one so far, then each new one as it happens, ending after the job's terminal event.
    /// </summary>
    /// <param name="id">The job.</param>
    /// <param name="cancellationToken">Stops watching (not the job).</param>
    /// <returns>The events, oldest first.</returns>
    /// <exception cref="JobNotFoundException">No job has that id.</exception>
    IAsyncEnumerable<JobEvent> WatchAsync(JobId id, CancellationToken cancellationToken = default);
}
