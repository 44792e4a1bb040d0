using GettingStarted;

var task = new ReviewTask();
Console.WriteLine($"A new review task starts in {task.Current} (initial: {ReviewTask.InitialState}).");

// Two attempts fail and are retried; the third succeeds.
for (var attempt = 1; !task.IsTerminal; attempt++)
{
    task.Start();
    if (attempt < 3)
    {
        var error = new TimeoutException($"attempt {attempt} timed out");
        if (!task.TryScheduleRetry(error))
        {
            task.Kill($"no attempts left after {error.Message}");
            break;
        }

        task.Requeue();
    }
    else
    {
        task.Succeed();
    }
}

Console.WriteLine($"Refused while {task.Current}: TryStart() returned {task.TryStart()}.");
try
{
    task.Cancel();
}
catch (Weaver.InvalidTransitionException e)
{
    Console.WriteLine($"Cancel() threw: {e.Message}");
}

var outcome = task.Match(
    queued: () => "still queued",
    running: () => "running",
    retryScheduled: () => "waiting to retry",
    succeeded: () => $"succeeded after {task.Attempts} attempts",
    dead: () => "dead",
    cancelled: () => "cancelled");
Console.WriteLine($"Outcome: {outcome}.");

Console.WriteLine();
Console.WriteLine("Transitions made:");
foreach (var line in task.Log)
{
    Console.WriteLine($"  {line}");
}

Console.WriteLine();
Console.WriteLine("Declared transitions:");
foreach (var transition in ReviewTask.Transitions)
{
    Console.WriteLine($"  {transition}");
}

Console.WriteLine();
Console.WriteLine("Mermaid:");
Console.WriteLine(ReviewTask.ToMermaid());
