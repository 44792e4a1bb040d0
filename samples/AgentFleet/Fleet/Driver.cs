using System.Diagnostics;
using AgentFleet.Agents;
using AgentFleet.Feature;
using AgentFleet.Progress;
using AgentFleet.Reporting;
using Spectre.Console;
using Weaver;

namespace AgentFleet.Fleet;

/// <summary>
/// Runs the fleet: opens the store, resumes the unfinished job or submits a new one, starts the agents and the chaos
/// monkey, shows progress until the job ends, and writes the report.
/// </summary>
public static class Driver
{
    /// <summary>The prefix of the jobs this sample submits.</summary>
    public const string JobPrefix = "feature-";

    /// <summary>The feature the planner splits.</summary>
    public const string Feature = "Team workspaces for the billing dashboard";

    /// <summary>Runs the fleet.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(FleetOptions options)
    {
        var console = AnsiConsole.Console;
        if (!console.Profile.Capabilities.Interactive)
        {
            console.Profile.Width = 160; // redirected: wide enough that tables do not wrap
        }
        var started = Stopwatch.GetTimestamp();
        var where = options.Processes > 0 ? $"{options.Processes} worker processes" : "this process";
        Console.Out.WriteLine($"AgentFleet: {options.Agents} agents in {where} on {FleetStore.Describe(options)}");
        Console.Out.WriteLine($"Artifacts in {options.ArtifactsPath}");

        if (options.Fresh && options.Store == StoreKind.Sqlite)
        {
            FleetStore.Delete(options);
            Console.Out.WriteLine("--fresh: deleted the SQLite file and the artifacts; starting over.");
        }

        var handlers = WeaverHandlers.RegisterAll(new HandlerRegistry());
        if (await FleetStore.OpenOrReportAsync(options, handlers) is not { } store)
        {
            return 3;
        }

        await using (store)
        {
            var retry = new RetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(1), Jitter = 0.2 };
            using var coordinator = new JobCoordinator(store, handlers, new JobCoordinatorOptions
            {
                PollInterval = TimeSpan.FromMilliseconds(100),
                DefaultRetry = retry,
                Owner = $"agentfleet:{Environment.MachineName}:{Environment.ProcessId}",
            });
            // Subtasks get more attempts than the default: a crash and a pause may each take one from the same subtask.
            coordinator.AddDecider(PlanDecider.Kind, new PlanDecider(retry with { MaxAttempts = 5 }));

            var (job, resumed) = await FindOrSubmitAsync(store, coordinator, options);
            var status = await coordinator.GetStatusAsync(job);
            var run = status.Audit.Count(note => note.Key == "run") + 1;
            await coordinator.AnnotateAsync(job, "run", $"run {run}: {options.Agents} agents in {where}, {options.Crashes} crash(es) and {options.Pauses} pause(s) planned");
            Console.Out.WriteLine(resumed
                ? $"Resumed job {job} (run {run}): {status.Tasks.Count(t => t.State == JobTaskState.Succeeded)} of {status.Tasks.Count} task(s) already succeeded; they are not run again."
                : $"Submitted job {job}: \"{Feature}\", planned into {options.Subtasks} subtasks.");

            var artifacts = new ArtifactStore(options.ArtifactsPath);
            var roster = new Roster(
                name => options.Processes > 0 ? new ProcessAgent(name, options) : new InProcessAgent(name, store, handlers, artifacts),
                run);
            for (var i = 0; i < options.Agents; i++)
            {
                await roster.AddAsync(CancellationToken.None);
            }

            var incidents = new Incidents();
            var monkey = new ChaosMonkey(store, roster, options, job.Value, incidents);
            using var stopChaos = new CancellationTokenSource();
            var chaos = Task.Run(() => monkey.RunAsync(stopChaos.Token));
            var ended = coordinator.WaitForJobAsync(job);

            await ShowProgressAsync(console, options, store, coordinator, job, roster, incidents, ended);
            var result = await ended;
            await stopChaos.CancelAsync();
            await chaos.ContinueWith(static _ => { }, TaskScheduler.Default); // cancelled, or done with its incidents
            await roster.RetireAllAsync();

            var counts = await FleetReport.WriteAsync(console, store, coordinator, job, CancellationToken.None);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            Console.Out.WriteLine();
            Console.Out.WriteLine(
                $"This run: {monkey.Crashed} crash(es), {monkey.Paused} pause(s); the job: {counts.Attempts} attempts, {counts.Reclaims} reclaim(s), {counts.RejectedWrites} rejected zombie write(s), {counts.Artifacts} artifact(s).");
            var failed = Check(await coordinator.GetStatusAsync(job), result, counts, monkey).ToArray();
            foreach (var problem in failed)
            {
                await Console.Error.WriteLineAsync($"check failed: {problem}");
            }

            Console.Out.WriteLine(failed.Length == 0 ? "All checks passed." : $"{failed.Length} check(s) failed (see stderr).");
            Console.Out.WriteLine(FormattableString.Invariant($"AgentFleet: job {job} {result.State} (saga {result.Saga?.ToString() ?? "none"}) in {seconds:0.0} s"));
            return failed.Length == 0 ? 0 : 1;
        }
    }

    /// <summary>What the sample shows, checked (ADR 0025): each failed check, said in a sentence.</summary>
    private static IEnumerable<string> Check(JobStatus status, JobResult result, ReportCounts counts, ChaosMonkey monkey)
    {
        if (result.State != JobLifecycle.State.Failed || result.Saga != SagaLifecycle.State.Compensated)
        {
            yield return $"the job was meant to fail on '{Catalogue.FailingSubtask}' and compensate; it ended {result.State} (saga {result.Saga?.ToString() ?? "none"}): {result.Reason}";
        }

        var failing = status.Tasks.FirstOrDefault(t => Catalogue.IsFailing(t.TaskId));
        if (failing is not { State: JobTaskState.Dead })
        {
            yield return $"subtask '{Catalogue.FailingSubtask}' was meant to die; it is {failing?.State.ToString() ?? "not in the job"}";
        }

        foreach (var task in status.Tasks.Where(t => t.State == JobTaskState.Succeeded && t.TaskId.Contains('/', StringComparison.Ordinal)))
        {
            yield return $"subtask '{task.TaskId}' succeeded but was not compensated";
        }

        if (counts.Reclaims < monkey.Crashed + monkey.Paused)
        {
            yield return $"{monkey.Crashed} crash(es) and {monkey.Paused} pause(s) left stale leases, but only {counts.Reclaims} attempt(s) were reclaimed";
        }

        if (monkey.Paused > 0 && counts.RejectedWrites == 0)
        {
            yield return "an agent woke up from a pause after its task was reclaimed, but none of its writes was rejected";
        }

        if (counts.RunAfterCommit.Count > 0)
        {
            yield return $"tasks started an attempt after their commit was accepted: {string.Join(", ", counts.RunAfterCommit)}";
        }

        if (counts.Artifacts == 0)
        {
            yield return "the agents recorded no artifacts";
        }
    }

    /// <summary>The unfinished job of an earlier run, taken over, or a new one.</summary>
    private static async Task<(JobId Job, bool Resumed)> FindOrSubmitAsync(IWeaverStore store, JobCoordinator coordinator, FleetOptions options)
    {
        var jobs = (await store.ListJobsAsync()).Where(job => job.Id.StartsWith(JobPrefix, StringComparison.Ordinal)).ToArray();
        var unfinished = jobs.Where(job => job.State == nameof(JobLifecycle.State.Running)).Select(job => new JobId(job.Id)).ToArray();
        if (unfinished.Length > 0)
        {
            // Its coordinator died with the earlier run: the job can be taken over once its row has not been written for a lease's stale time.
            Console.Out.WriteLine($"Found unfinished job(s) {string.Join(", ", unfinished)}; taking over once the earlier run's coordinator lease is stale (up to {store.Leases.StaleAfter.TotalSeconds:0.0} s).");
            var deadline = Stopwatch.GetTimestamp() + (long)((store.Leases.StaleAfter.TotalSeconds * 4 + 10) * Stopwatch.Frequency);
            var taken = new List<JobId>();
            while (taken.Count < unfinished.Length && Stopwatch.GetTimestamp() < deadline)
            {
                taken.AddRange(await coordinator.ResumeAsync());
                if (taken.Count < unfinished.Length)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200));
                }
            }

            var mine = unfinished.Where(taken.Contains).ToArray();
            if (options.Fresh)
            {
                foreach (var job in mine)
                {
                    await coordinator.CancelJobAsync(job);
                    Console.Out.WriteLine($"--fresh: cancelled unfinished job {job}.");
                }
            }
            else if (mine.Length > 0)
            {
                return (mine[^1], true);
            }
            else
            {
                Console.Out.WriteLine("Another coordinator still runs them (its lease is live); starting a new job instead.");
            }
        }

        var id = new JobId($"{JobPrefix}{jobs.Length + 1}");
        var request = new FeatureRequest(Feature, options.Subtasks, options.StepMilliseconds);
        await coordinator.SubmitJobAsync(new JobSpec([new JobTaskSpec("plan", PlanDecider.Kind, request)]) { Id = id.Value });
        return (id, false);
    }

    /// <summary>Shows the fleet until the job ends: a live table on a terminal, plain lines otherwise.</summary>
    private static async Task ShowProgressAsync(
        IAnsiConsole console, FleetOptions options, IWeaverStore store, IWeaverClient client, JobId job, Roster roster, Incidents incidents, Task ended)
    {
        var refresh = TimeSpan.FromMilliseconds(250);
        if (options.Live && console.Profile.Capabilities.Interactive)
        {
            var first = await FleetView.ReadAsync(store, client, job, roster, incidents, CancellationToken.None);
            await console.Live(LiveProgress.Render(first)).AutoClear(false).StartAsync(async context =>
            {
                while (!ended.IsCompleted)
                {
                    await Task.WhenAny(ended, Task.Delay(refresh));
                    context.UpdateTarget(LiveProgress.Render(await FleetView.ReadAsync(store, client, job, roster, incidents, CancellationToken.None)));
                }
            });
            return;
        }

        var plain = new PlainProgress(Console.Out);
        while (true)
        {
            plain.Print(await FleetView.ReadAsync(store, client, job, roster, incidents, CancellationToken.None));
            if (ended.IsCompleted)
            {
                return;
            }

            await Task.WhenAny(ended, Task.Delay(refresh));
        }
    }
}
