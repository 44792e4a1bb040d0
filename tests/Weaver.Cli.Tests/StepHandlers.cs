namespace Weaver.Cli.Tests;

/// <summary>A step of a test job: succeeds with its name, or fails for good when told to.</summary>
public sealed record Step(string Name, bool Fail = false);

/// <summary>What a step returns.</summary>
public sealed record StepDone(string Name);

/// <summary>The handlers the test jobs run: <c>step</c> and its compensation <c>undo</c>.</summary>
public static class StepHandlers
{
    public const string StepKind = "step";
    public const string UndoKind = "undo";

    /// <summary>A kind the coordinator knows but no worker of the tests runs: its tasks stay queued.</summary>
    public const string ReviewKind = "review";

    /// <summary>The handlers the workers run.</summary>
    public static HandlerRegistry Workers() => new HandlerRegistry()
        .Add(HandlerRegistration.Create<StepHandler, Step, StepDone>(StepKind, () => new StepHandler()))
        .Add(HandlerRegistration.Create<UndoHandler, StepDone, string>(UndoKind, () => new UndoHandler()));

    /// <summary>The kinds the coordinator accepts: the workers' and <see cref="ReviewKind"/>.</summary>
    public static HandlerRegistry Coordinator() => Workers()
        .Add(HandlerRegistration.Create<StepHandler, Step, StepDone>(ReviewKind, () => new StepHandler()));

    public sealed class StepHandler : ITaskHandler<Step, StepDone>
    {
        public ValueTask<StepDone> HandleAsync(Step input, TaskContext context) =>
            input.Fail ? throw new InvalidOperationException($"step {input.Name} was told to fail") : ValueTask.FromResult(new StepDone(input.Name));
    }

    public sealed class UndoHandler : ITaskHandler<StepDone, string>
    {
        public ValueTask<string> HandleAsync(StepDone input, TaskContext context) => ValueTask.FromResult($"undid {input.Name}");
    }
}
