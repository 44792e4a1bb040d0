namespace Weaver;

/// <summary>
/// The events of a task's history, written the same way by every store (the in-memory engine, SQLite, PostgreSQL), so
/// a task's history and its explanation read the same wherever it ran. The retry and take-back rules live here too:
/// what happens after a failure or a stale lease is decided once, from the task's <see cref="RetryPolicy"/>.
/// </summary>
public static class TaskEvents
{
    /// <summary>The task was stored.</summary>
    /// <param name="at">When.</param>
    /// <param name="kind">Its kind.</param>
    /// <returns>The event.</returns>
    public static TaskEvent Submitted(DateTimeOffset at, string kind) =>
        new(at, TaskEventKind.Submitted, 0, null, 0, $"Submitted as '{kind}'.");

    /// <summary>An attempt started under a new lease.</summary>
    /// <param name="at">When.</param>
    /// <param name="attempt">The attempt's number.</param>
    /// <param name="owner">Its worker.</param>
    /// <param name="epoch">Its lease's epoch.</param>
    /// <returns>The event.</returns>
    public static TaskEvent AttemptStarted(DateTimeOffset at, int attempt, string owner, long epoch) =>
        new(at, TaskEventKind.AttemptStarted, attempt, owner, epoch, $"Attempt {attempt} started by '{owner}'.");

    /// <summary>The attempt's result was committed.</summary>
    /// <param name="at">When.</param>
    /// <param name="attempt">The attempt's number.</param>
    /// <param name="owner">Its worker.</param>
    /// <param name="epoch">Its lease's epoch.</param>
    /// <returns>The event.</returns>
    public static TaskEvent Succeeded(DateTimeOffset at, int attempt, string owner, long epoch) =>
        new(at, TaskEventKind.Succeeded, attempt, owner, epoch, $"Attempt {attempt} succeeded.") { Outcome = AttemptOutcome.Succeeded };

    /// <summary>A handler's own decision, recorded under its attempt's lease.</summary>
    /// <param name="at">When.</param>
    /// <param name="attempt">The attempt's number.</param>
    /// <param name="owner">Its worker.</param>
    /// <param name="epoch">Its lease's epoch.</param>
    /// <param name="decision">The decision.</param>
    /// <returns>The event.</returns>
    public static TaskEvent DecisionRecorded(DateTimeOffset at, int attempt, string owner, long epoch, Decision decision) =>
        new(at, TaskEventKind.DecisionRecorded, attempt, owner, epoch, decision.Change) { Decision = decision };

    /// <summary>The attempt was handed back by its worker, and the task queued again.</summary>
    /// <param name="at">When.</param>
    /// <param name="attempt">The attempt's number.</param>
    /// <param name="owner">Its worker.</param>
    /// <param name="epoch">Its lease's epoch.</param>
    /// <param name="reason">Why.</param>
    /// <returns>The event.</returns>
    public static TaskEvent Abandoned(DateTimeOffset at, int attempt, string owner, long epoch, string reason) =>
        new(at, TaskEventKind.Abandoned, attempt, owner, epoch, reason) { Outcome = AttemptOutcome.Abandoned };

    /// <summary>The task was cancelled.</summary>
    /// <param name="at">When.</param>
    /// <param name="attempts">How many attempts had started.</param>
    /// <param name="runningEpoch">The running attempt's epoch; 0 when none was running.</param>
    /// <returns>The event; it ends the running attempt, if there was one.</returns>
    public static TaskEvent Cancelled(DateTimeOffset at, int attempts, long runningEpoch) =>
        new(at, TaskEventKind.Cancelled, attempts, null, runningEpoch, "Cancelled.")
        {
            Outcome = runningEpoch == 0 ? null : AttemptOutcome.Cancelled,
        };

    /// <summary>A write of an attempt that no longer holds the task's lease was rejected.</summary>
    /// <param name="at">When.</param>
    /// <param name="attempt">The attempt's number.</param>
    /// <param name="owner">Its worker.</param>
    /// <param name="epoch">Its lease's epoch.</param>
    /// <param name="operation">What it tried: "commit", "failure", "hand-back", "decision", "write of artifact 'x'".</param>
    /// <returns>The event.</returns>
    public static TaskEvent Rejected(DateTimeOffset at, int attempt, string owner, long epoch, string operation) =>
        new(at, TaskEventKind.WriteRejected, attempt, owner, epoch,
            $"The {operation} of attempt {attempt} from '{owner}' (epoch {epoch}) was rejected: it no longer holds the lease.");

    /// <summary>A heartbeat of an attempt that no longer holds the task's lease was rejected.</summary>
    /// <param name="at">When.</param>
    /// <param name="attempt">The attempt's number.</param>
    /// <param name="owner">Its worker.</param>
    /// <param name="epoch">Its lease's epoch.</param>
    /// <returns>The event.</returns>
    public static TaskEvent HeartbeatRejected(DateTimeOffset at, int attempt, string owner, long epoch) =>
        new(at, TaskEventKind.WriteRejected, attempt, owner, epoch, $"Heartbeat from '{owner}' (epoch {epoch}) rejected: the lease was lost.");

    /// <summary>
    /// What follows a failed attempt: a retry after the policy's delay while attempts are left, otherwise (or when the
    /// failure is <paramref name="permanent"/>) the task's death.
    /// </summary>
    /// <param name="at">When the failure is committed.</param>
    /// <param name="retry">The task's retry policy.</param>
    /// <param name="attempt">The failed attempt's number, which is also how many attempts started.</param>
    /// <param name="owner">Its worker.</param>
    /// <param name="epoch">Its lease's epoch.</param>
    /// <param name="error">Why it failed.</param>
    /// <param name="jitter">A random number in [0, 1) for the delay's jitter.</param>
    /// <param name="permanent">No retry could succeed.</param>
    /// <returns>The retry's due time (null when the task dies) and the event.</returns>
    public static (DateTimeOffset? RetryAt, TaskEvent Event) Failed(
        DateTimeOffset at, RetryPolicy retry, int attempt, string owner, long epoch, string error, double jitter, bool permanent = false)
    {
        var detail = $"Attempt {attempt} failed: {error}";
        var policy = PolicyText.Retry(retry);
        var evidence = $"{detail}; {attempt} of {retry.MaxAttempts} attempt(s) used.";
        if (!permanent && retry.HasAttemptsLeft(attempt))
        {
            var delay = retry.DelayBeforeAttempt(attempt + 1, jitter);
            var dueAt = at + delay;
            return (dueAt, new TaskEvent(at, TaskEventKind.RetryScheduled, attempt, owner, epoch, $"{detail.TrimEnd('.')}. Retry at {dueAt:O}.")
            {
                Outcome = AttemptOutcome.Failed,
                Decision = new Decision(policy, evidence, $"Attempt {attempt + 1} scheduled for {dueAt:O}, after {delay}."),
            });
        }

        var end = permanent
            ? $"{detail}. The failure is permanent: no retry can succeed."
            : $"{detail}. No attempts are left ({attempt} of {retry.MaxAttempts}).";
        return (null, new TaskEvent(at, TaskEventKind.Dead, attempt, owner, epoch, end)
        {
            Outcome = AttemptOutcome.Failed,
            Decision = new Decision(policy, evidence, "No retry: the task is dead."),
        });
    }

    /// <summary>
    /// What follows a running attempt whose lease went stale: the task is queued again while attempts are left,
    /// otherwise it dies.
    /// </summary>
    /// <param name="at">When it is taken back.</param>
    /// <param name="retry">The task's retry policy.</param>
    /// <param name="leases">The lease timing that judged it stale.</param>
    /// <param name="attempts">How many attempts started (the stale one is the last).</param>
    /// <param name="staleEpoch">The stale lease's epoch.</param>
    /// <param name="detail">What went stale, and who took it over.</param>
    /// <returns>Whether the task is queued again (false: it is dead), and the event; a dead task's error is its detail.</returns>
    public static (bool Requeued, TaskEvent Event) TakenBack(
        DateTimeOffset at, RetryPolicy retry, LeaseOptions leases, int attempts, long staleEpoch, string detail)
    {
        var policy = $"{PolicyText.Lease(leases)} {PolicyText.Retry(retry)}";
        if (retry.HasAttemptsLeft(attempts))
        {
            return (true, new TaskEvent(at, TaskEventKind.Reclaimed, attempts, null, staleEpoch, detail + " It was queued again.")
            {
                Outcome = AttemptOutcome.Reclaimed,
                Decision = new Decision(policy, detail, $"Attempt {attempts} was taken back and the task queued again; writes under epoch {staleEpoch} are rejected."),
            });
        }

        var error = $"{detail} No attempts are left ({attempts} of {retry.MaxAttempts}).";
        return (false, new TaskEvent(at, TaskEventKind.Dead, attempts, null, staleEpoch, error)
        {
            Outcome = AttemptOutcome.Reclaimed,
            Decision = new Decision(policy, $"{detail} {attempts} of {retry.MaxAttempts} attempt(s) used.", $"Attempt {attempts} was taken back and the task is dead."),
        });
    }

    /// <summary>The detail of a take-back by the sweeper.</summary>
    /// <param name="owner">The stale lease's owner.</param>
    /// <param name="epoch">Its epoch.</param>
    /// <param name="expiresAt">When it went stale.</param>
    /// <returns>The detail.</returns>
    public static string StaleLease(string owner, long epoch, DateTimeOffset expiresAt) =>
        $"The lease of '{owner}' (epoch {epoch}) went stale: it expired at {expiresAt:O} with no heartbeat since.";
}
