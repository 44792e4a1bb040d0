using GettingStarted;
using Weaver;

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
catch (InvalidTransitionException e)
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

// The runtime: tasks run by a worker group, each attempt under a lease that heartbeats, failures retried.
Console.WriteLine();
Console.WriteLine("Running 5 review tasks on 2 workers:");
var handlers = WeaverHandlers.RegisterAll(new HandlerRegistry());
using var engine = new TaskEngine(handlers, new TaskEngineOptions
{
    Leases = new LeaseOptions { LeaseDuration = TimeSpan.FromSeconds(10), HeartbeatInterval = TimeSpan.FromSeconds(2) },
    Retry = new RetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.FromMilliseconds(100), Jitter = 0 },
});
var reviews = Enumerable.Range(1, 5).Select(number => engine.Submit("review-pr", new PullRequest("weaver", number))).ToList();
await using (var workers = new WorkerGroup(engine, new WorkerGroupOptions { Concurrency = 2, Name = "sample" }))
{
    workers.Start();
    foreach (var id in reviews)
    {
        var review = await engine.WaitForCompletionAsync(id);
        Console.WriteLine($"  {review.State} after {review.Attempts} attempt(s): {review.Result}");
        foreach (var entry in review.History.Where(e => e.Kind == TaskEventKind.RetryScheduled))
        {
            Console.WriteLine($"    {entry.Detail}");
        }
    }
}
