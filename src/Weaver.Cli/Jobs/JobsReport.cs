namespace Weaver.Cli.Jobs;

/// <summary>The answer of <c>weaver jobs --json</c>.</summary>
/// <param name="Jobs">Every job of the store, by id (ordinal).</param>
internal sealed record JobsReport(IReadOnlyList<JobSummary> Jobs);

/// <summary>One job of the store.</summary>
/// <param name="Id">Its id.</param>
/// <param name="State">Its state as stored: <c>Running</c>, <c>Succeeded</c>, <c>Failed</c> or <c>Cancelled</c>.</param>
/// <param name="Saga">Its saga's state, for a job with compensations; otherwise null.</param>
/// <param name="Tasks">How many of its tasks are in each <see cref="JobTaskState"/> (every state, most 0); null when its document cannot be read.</param>
/// <param name="CreatedAt">When it was submitted.</param>
/// <param name="UpdatedAt">When its document last changed (its coordinator writes it at least every heartbeat while it runs).</param>
/// <param name="Revision">Its document's revision: 1 when submitted, one more with each change.</param>
/// <param name="Error">Why its document cannot be read; null when it can.</param>
internal sealed record JobSummary(
    string Id,
    string State,
    SagaLifecycle.State? Saga,
    IReadOnlyDictionary<JobTaskState, int>? Tasks,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Revision,
    string? Error);
