namespace Weaver;

/// <summary>One attempt of one task: what it did, what was seen, and how it ended.</summary>
/// <param name="TaskId">The job's task (or the engine task, outside a job).</param>
/// <param name="Number">Which attempt, from 1.</param>
/// <param name="Owner">The worker that ran it.</param>
/// <param name="Epoch">The lease epoch (fencing token) it ran under.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="EndedAt">When it ended; <see langword="null"/> while it runs.</param>
/// <param name="Action">What was done: the handler run, by whom, under which lease.</param>
/// <param name="Observation">What was seen: the result committed, the error raised, the lease lost, and writes rejected.</param>
/// <param name="Outcome">How it ended.</param>
public sealed record AttemptRecord(
    string TaskId,
    int Number,
    string Owner,
    long Epoch,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string Action,
    string Observation,
    AttemptOutcome Outcome);
