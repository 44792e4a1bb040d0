using Microsoft.Extensions.Logging;

namespace Weaver;

/// <summary>
/// The log messages of worker groups, source-generated. Event ids 1–99 belong to the runtime (Weaver.Sqlite uses
/// 100–199, Weaver.PostgreSql 200–299); once released an id keeps its meaning. Messages about the group go to the
/// <c>Weaver.Workers</c> category, messages about one attempt to <c>Weaver.Handlers.{kind}</c> (ADR 0021).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Worker '{Owner}' could not reach the store; it tries again in {Wait}.")]
    public static partial void StoreUnreachable(ILogger logger, Exception error, string owner, TimeSpan wait);

    [LoggerMessage(2, LogLevel.Warning, "The sweep took back {Count} task(s) whose lease went stale; each runs again, or is dead when it has no attempts left.")]
    public static partial void Swept(ILogger logger, int count);

    [LoggerMessage(3, LogLevel.Warning, "The sweep could not reach the store; the next sweep tries again.")]
    public static partial void SweepFailed(ILogger logger, Exception error);

    [LoggerMessage(4, LogLevel.Debug, "Worker '{Owner}' claimed task '{TaskId}' ({Kind}): attempt {Attempt} under epoch {Epoch}.")]
    public static partial void Claimed(ILogger logger, string owner, string taskId, string kind, int attempt, long epoch);

    [LoggerMessage(5, LogLevel.Debug, "Attempt {Attempt} of task '{TaskId}' succeeded; its result was committed.")]
    public static partial void Succeeded(ILogger logger, int attempt, string taskId);

    [LoggerMessage(6, LogLevel.Warning, "Attempt {Attempt} of task '{TaskId}' failed; the failure was committed, and the task is retried or dead by its retry policy.")]
    public static partial void Failed(ILogger logger, Exception error, int attempt, string taskId);

    [LoggerMessage(7, LogLevel.Error, "Task '{TaskId}' cannot run: {Problem} It is ended as dead; the worker goes on.")]
    public static partial void InvalidInput(ILogger logger, Exception error, string taskId, string problem);

    [LoggerMessage(8, LogLevel.Warning, "The {Write} of attempt {Attempt} of task '{TaskId}' (epoch {Epoch}) was rejected: its lease was lost first, so the write changed nothing.")]
    public static partial void WriteRejected(ILogger logger, string write, int attempt, string taskId, long epoch);

    [LoggerMessage(9, LogLevel.Warning, "Attempt {Attempt} of task '{TaskId}' lost its lease (epoch {Epoch}): a heartbeat was refused and the handler cancelled; the task runs again unless it was cancelled or has no attempts left.")]
    public static partial void LeaseLost(ILogger logger, int attempt, string taskId, long epoch);

    [LoggerMessage(10, LogLevel.Information, "Task '{TaskId}' was cancelled while attempt {Attempt} ran; the handler was cancelled.")]
    public static partial void Cancelled(ILogger logger, string taskId, int attempt);

    [LoggerMessage(11, LogLevel.Information, "Worker '{Owner}' shut down before attempt {Attempt} of task '{TaskId}' finished; the attempt was handed back to run again.")]
    public static partial void Abandoned(ILogger logger, string owner, int attempt, string taskId);

    [LoggerMessage(12, LogLevel.Error, "Attempt {Attempt} of task '{TaskId}' could not be written to the store; the task will be taken back when its lease goes stale.")]
    public static partial void CommitFailed(ILogger logger, Exception error, int attempt, string taskId);

    [LoggerMessage(13, LogLevel.Error, "An outcome method of task handler '{Kind}' failed for task '{TaskId}', which ended {State}; the task's other outcome methods for that state did not run.")]
    public static partial void OutcomeFailed(ILogger logger, Exception error, string kind, string taskId, TaskLifecycle.State state);
}
