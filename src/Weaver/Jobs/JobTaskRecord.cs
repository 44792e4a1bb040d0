namespace Weaver;

/// <summary>The coordinator's row for one task of a job. Changed only under its job's <see cref="JobRun.Gate"/>.</summary>
internal sealed class JobTaskRecord(JobTaskSpec spec, string engineId, int dependencies, string? parent = null, int depth = 0)
{
    public JobTaskSpec Spec { get; } = spec;

    /// <summary>The id of the engine task that runs it: <c>{jobId}/{taskId}</c>.</summary>
    public string EngineId { get; } = engineId;

    /// <summary>How many of its dependencies have not succeeded yet.</summary>
    public int Waiting { get; set; } = dependencies;

    /// <summary>
    /// <see cref="JobTaskState.Pending"/> until it is handed to the engine, <see cref="JobTaskState.Queued"/> while the
    /// engine has it (the engine knows whether it is queued, running or waiting to retry), then how it ended.
    /// </summary>
    public JobTaskState State { get; set; } = JobTaskState.Pending;

    /// <summary>Whether it has not ended yet, from the job's point of view.</summary>
    public bool IsActive => State is JobTaskState.Pending or JobTaskState.Queued or JobTaskState.Decomposed;

    /// <summary>The id of the task whose decider produced it; <see langword="null"/> for a task of the job's spec.</summary>
    public string? Parent { get; } = parent;

    /// <summary>How many decompositions deep it is: 0 for a task of the job's spec.</summary>
    public int Depth { get; } = depth;

    /// <summary>While <see cref="JobTaskState.Decomposed"/>: how many of its children have not succeeded yet.</summary>
    public int ChildrenLeft { get; set; }

    /// <summary>Whether the engine took it: only then does <see cref="EngineId"/> name an engine task of this job.</summary>
    public bool Submitted { get; set; }

    public int Attempts { get; set; }

    /// <summary>What its finished attempts cost, in all, as the engine last reported it.</summary>
    public decimal Cost { get; set; }

    /// <summary>The attempts the engine gives it: the smaller of its retry policy's and its budget's.</summary>
    public int MaxAttempts { get; set; }

    public object? Result { get; set; }

    public string? Error { get; set; }
}
