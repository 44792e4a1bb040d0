namespace Weaver;

/// <summary>
/// A note attached to a job after the fact (a ticket, who reviewed it): the one thing that may still be added to a job, or a
/// saga, that has ended.
/// </summary>
/// <param name="At">When it was added, on the engine's clock.</param>
/// <param name="Key">What it is, such as <c>ticket</c>.</param>
/// <param name="Value">Its value.</param>
public sealed record AuditEntry(DateTimeOffset At, string Key, string Value);
