namespace FileLocks;

/// <summary>One line of the timeline: when, which task, on which worker, what happened.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string Task, string Who, string What);
