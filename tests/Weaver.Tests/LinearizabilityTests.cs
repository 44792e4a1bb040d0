using System.Collections.Concurrent;
using CsCheck;
using Weaver.Tests.Machines;
using Weaver.Tests.Support;
using State = Weaver.Tests.Machines.ReviewMachine.State;

namespace Weaver.Tests;

/// <summary>
/// CsCheck's <c>SampleParallel</c> (the 5.x name of <c>SampleConcurrent</c>): random trigger calls run in
/// parallel on one shared machine, after a random sequential prefix. The run must match some sequential order
/// of the same calls on the model: same final state, same number of transitions, and every call returning what it
/// returned in that order.
/// </summary>
[Collection(nameof(ConcurrencyTests))]
public sealed class LinearizabilityTests
{
    [Fact]
    public void Trigger_calls_on_a_shared_machine_are_linearizable()
    {
        var initial = Gen.Select(Gen.Enum<State>(), Gen.Bool).Select((start, retryAllowed) =>
            (new SharedMachine(ReviewMachine.Restore(start), retryAllowed), new ModelMachine(start, retryAllowed)));

        initial.SampleParallel(
            [
                Operation(ReviewTrigger.Start),
                Operation(ReviewTrigger.Succeed),
                Operation(ReviewTrigger.ScheduleRetry),
                Operation(ReviewTrigger.Requeue),
                Operation(ReviewTrigger.Kill, killGuardAllows: true),
                Operation(ReviewTrigger.Kill, killGuardAllows: false),
                Operation(ReviewTrigger.Cancel),
            ],
            equal: (actual, model) =>
                actual.Machine.Current == model.State
                && actual.Machine.TransitionCount == model.Transitions
                && actual.Results.Order(StringComparer.Ordinal).SequenceEqual(model.Results.Order(StringComparer.Ordinal)),
            iter: 1_000,
            printActual: actual => actual.ToString(),
            printModel: model => model.ToString());
    }

    private static GenOperation<SharedMachine, ModelMachine> Operation(ReviewTrigger trigger, bool killGuardAllows = true)
    {
        var name = trigger == ReviewTrigger.Kill ? $"Kill({(killGuardAllows ? "reason" : "blank")})" : trigger.ToString();
        return Gen.Operation<SharedMachine, ModelMachine>(
            name,
            actual => actual.Record(name, ReviewTable.TryWithGuardAsSet(actual.Machine, trigger, killGuardAllows)),
            model => model.Fire(name, trigger, killGuardAllows));
    }

    /// <summary>The machine the threads share, and what each call returned (in any order).</summary>
    private sealed class SharedMachine
    {
        private readonly ConcurrentQueue<string> _results = new();

        public SharedMachine(ReviewMachine machine, bool retryAllowed)
        {
            machine.RetryAllowed = retryAllowed; // fixed for the whole run: threads never write it
            Machine = machine;
        }

        public ReviewMachine Machine { get; }

        public IEnumerable<string> Results => _results;

        public void Record(string call, bool result) => _results.Enqueue($"{call}={result}");

        public override string ToString() => $"{Machine.Current} after {Machine.TransitionCount} transitions: {string.Join(", ", _results)}";
    }

    /// <summary>The sequential model: a state that only changes by looking up <see cref="ReviewTable"/>.</summary>
    private sealed class ModelMachine(State start, bool retryAllowed)
    {
        private readonly List<string> _results = [];

        public State State { get; private set; } = start;

        public int Transitions { get; private set; }

        public IEnumerable<string> Results => _results;

        public void Fire(string call, ReviewTrigger trigger, bool killGuardAllows)
        {
            var guardAllows = trigger == ReviewTrigger.Kill ? killGuardAllows : retryAllowed;
            var (fired, after) = ReviewTable.Step(State, trigger, guardAllows);
            State = after;
            Transitions += fired ? 1 : 0;
            _results.Add($"{call}={fired}");
        }

        public override string ToString() => $"{State} after {Transitions} transitions: {string.Join(", ", _results)}";
    }
}
