using System.Collections.Concurrent;
using System.Text.Json;

namespace Weaver.Stores.Tests.Jobs;

/// <summary>A step of a job: succeeds with its name, fails for good when told to, or waits at the gate.</summary>
public sealed record Step(string Name, bool Fail = false, bool Wait = false);

/// <summary>What a step returns.</summary>
public sealed record StepDone(string Name);

/// <summary>The handlers of the durable job tests, with what they saw.</summary>
public sealed class JobHandlers
{
    public const string StepKind = "step";
    public const string UndoKind = "undo";
    public const string PlanKind = "plan";

    /// <summary>A step only a late worker runs: its task waits in the queue, holding no lease, until that worker starts.</summary>
    public const string LaterKind = "later";

    public static IReadOnlyList<string> Kinds { get; } = [StepKind, UndoKind, PlanKind, LaterKind];

    /// <summary>The steps run, in the order their handlers ran (a step run twice shows twice).</summary>
    public ConcurrentQueue<string> Ran { get; } = new();

    /// <summary>The compensations run, in order.</summary>
    public ConcurrentQueue<string> Undone { get; } = new();

    /// <summary>Released by the test to let waiting steps finish.</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set when a waiting step started.</summary>
    public TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Every kind: what coordinators check job specs against.</summary>
    public HandlerRegistry Registry() => Workers().Add(Later());

    /// <summary>The kinds the test's first workers run: all but <see cref="LaterKind"/>.</summary>
    public HandlerRegistry Workers() => new HandlerRegistry()
        .Add(HandlerRegistration.Create<StepHandler, Step, StepDone>(StepKind, () => new StepHandler(this)))
        .Add(HandlerRegistration.Create<UndoHandler, StepDone, string>(UndoKind, () => new UndoHandler(this)))
        .Add(HandlerRegistration.Create<StepHandler, Step, StepDone>(PlanKind, () => new StepHandler(this)));

    /// <summary>The late worker's one kind.</summary>
    public HandlerRegistry LateWorkers() => new HandlerRegistry().Add(Later());

    private HandlerRegistration Later() => HandlerRegistration.Create<StepHandler, Step, StepDone>(LaterKind, () => new StepHandler(this));

    /// <summary>Splits a plan into children a → (b, c) when its result names "split".</summary>
    public sealed class SplitDecider : IDecider
    {
        public IReadOnlyList<JobTaskSpec> Decide(JobTaskSpec task, object? result)
        {
            // A store-backed job hands deciders the result as JSON.
            var done = ((JsonElement)result!).Deserialize<StepDone>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
            return done.Name != "split" ? [] :
            [
                new JobTaskSpec("a", StepKind, new Step("a")),
                new JobTaskSpec("b", StepKind, new Step("b")) { DependsOn = ["a"] },
                new JobTaskSpec("c", StepKind, new Step("c")) { DependsOn = ["a"] },
            ];
        }
    }

    public sealed class StepHandler(JobHandlers probe) : ITaskHandler<Step, StepDone>
    {
        public async ValueTask<StepDone> HandleAsync(Step input, TaskContext context)
        {
            probe.Ran.Enqueue(input.Name);
            if (input.Wait)
            {
                probe.Waiting.TrySetResult();
                await probe.Gate.Task.WaitAsync(context.CancellationToken);
            }

            return input.Fail ? throw new InvalidOperationException($"step {input.Name} was told to fail") : new StepDone(input.Name);
        }
    }

    public sealed class UndoHandler(JobHandlers probe) : ITaskHandler<StepDone, string>
    {
        public ValueTask<string> HandleAsync(StepDone input, TaskContext context)
        {
            probe.Undone.Enqueue(input.Name);
            return ValueTask.FromResult($"undid {input.Name}");
        }
    }
}
