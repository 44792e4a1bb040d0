using Weaver.Tests.Machines;
using Weaver.Tests.Support;
using Xunit.Abstractions;
using State = Weaver.Tests.Machines.ReviewMachine.State;

namespace Weaver.Tests;

[CollectionDefinition(nameof(ConcurrencyTests), DisableParallelization = true)]
public sealed class ConcurrencyCollection
{
}

/// <summary>
/// Many threads fire triggers on one machine at the same moment; the state changes atomically, so exactly the
/// permitted transitions happen, each once, and only the thread that made one runs its hooks.
/// </summary>
[Collection(nameof(ConcurrencyTests))]
public sealed class ConcurrencyTests(ITestOutputHelper output)
{
    private const int Rounds = 2_000;

    [Fact]
    public void Exactly_one_thread_wins_a_single_source_trigger()
    {
        var rounds = Race.Run(Rounds, () => new ReviewMachine(), (machine, _) => machine.TryStart());

        Assert.All(rounds, round =>
        {
            Assert.Equal(1, round.Winners);
            Assert.Equal(State.Running, round.Machine.Current);
            Assert.Equal(1, round.Machine.TransitionCount);
            Assert.Equal(["OnStart(Queued, Running)", "OnTransitioned(Queued, Running)"], round.Machine.Calls);
        });
    }

    [Fact]
    public void Exactly_one_thread_wins_a_guarded_single_source_trigger()
    {
        var rounds = Race.Run(
            Rounds,
            () => ReviewMachine.Restore(State.Running),
            (machine, thread) => machine.TryScheduleRetry(new TimeoutException($"thread {thread}")));

        Assert.All(rounds, round =>
        {
            Assert.Equal(1, round.Winners);
            Assert.Equal(State.RetryScheduled, round.Machine.Current);
            Assert.Equal(1, round.Machine.TransitionCount);
            var winner = Array.IndexOf(round.Results, true);
            Assert.Equal($"thread {winner}", round.Machine.ErrorSeenByHook?.Message);
        });
    }

    [Fact]
    public void Exactly_one_thread_wins_a_multi_source_trigger()
    {
        var rounds = Race.Run(Rounds, () => ReviewMachine.Restore(State.RetryScheduled), (machine, _) => machine.TryCancel());

        Assert.All(rounds, round =>
        {
            Assert.Equal(1, round.Winners);
            Assert.Equal(State.Cancelled, round.Machine.Current);
            Assert.Equal(["OnCancel(RetryScheduled, Cancelled)", "OnTransitioned(RetryScheduled, Cancelled)"], round.Machine.Calls);
        });
    }

    [Theory]
    [InlineData(State.Running, ReviewTrigger.Kill, ReviewTrigger.Succeed)]
    [InlineData(State.RetryScheduled, ReviewTrigger.Kill, ReviewTrigger.Cancel)]
    [InlineData(State.Queued, ReviewTrigger.Start, ReviewTrigger.Cancel)]
    public void Exactly_one_of_two_competing_triggers_wins_and_decides_the_final_state(State from, ReviewTrigger even, ReviewTrigger odd)
    {
        ReviewTrigger TriggerOf(int thread) => thread % 2 == 0 ? even : odd;

        var rounds = Race.Run(
            Rounds,
            () => ReviewMachine.Restore(from),
            (machine, thread) => ReviewTable.TryWithGuardAsSet(machine, TriggerOf(thread)));

        Assert.All(rounds, round =>
        {
            Assert.Equal(1, round.Winners);
            var winner = TriggerOf(Array.IndexOf(round.Results, true));
            Assert.Equal(ReviewTable.Transitions[(from, winner)].To, round.Machine.Current);
            Assert.Equal(1, round.Machine.TransitionCount);
        });
        Report(rounds, round => TriggerOf(Array.IndexOf(round.Results, true)).ToString());
    }

    [Fact]
    public void Kill_Succeed_and_ScheduleRetry_racing_from_Running_leave_Running_exactly_once()
    {
        // ScheduleRetry leads to RetryScheduled, from which Kill is permitted too: after ScheduleRetry wins, one Kill
        // may legitimately win as well. What must hold: exactly one transition leaves Running, every winner's
        // transition is in the log, and the final state is where that path ends.
        ReviewTrigger[] triggers = [ReviewTrigger.Kill, ReviewTrigger.Succeed, ReviewTrigger.ScheduleRetry];
        ReviewTrigger TriggerOf(int thread) => triggers[thread % triggers.Length];

        var rounds = Race.Run(
            Rounds,
            () => ReviewMachine.Restore(State.Running),
            (machine, thread) => ReviewTable.TryWithGuardAsSet(machine, TriggerOf(thread)));

        Assert.All(rounds, round =>
        {
            var won = Enumerable.Range(0, round.Results.Length).Where(t => round.Results[t]).Select(TriggerOf).Order().ToArray();
            var transitions = round.Machine.Calls.Where(call => call.StartsWith("OnTransitioned(", StringComparison.Ordinal)).ToArray();
            Assert.Single(transitions, call => call.StartsWith("OnTransitioned(Running,", StringComparison.Ordinal));
            Assert.Equal(won.Length, round.Machine.TransitionCount);
            Assert.Equal(won.Length, transitions.Length);
            var expectedFinal = won switch
            {
                [ReviewTrigger.Succeed] => State.Succeeded,
                [ReviewTrigger.Kill] => State.Dead,
                [ReviewTrigger.ScheduleRetry] => State.RetryScheduled,
                [ReviewTrigger.ScheduleRetry, ReviewTrigger.Kill] or [ReviewTrigger.Kill, ReviewTrigger.ScheduleRetry] => State.Dead,
                _ => throw new Xunit.Sdk.XunitException($"Impossible set of winners: {string.Join(", ", won)}"),
            };
            Assert.Equal(expectedFinal, round.Machine.Current);
        });
        Report(rounds, round => string.Join("+", round.Results.Select((w, t) => (w, t)).Where(x => x.w).Select(x => TriggerOf(x.t))));
    }

    [Fact]
    public void Racing_on_a_struct_machine_held_in_a_field_is_atomic_too()
    {
        var rounds = Race.Run(Rounds, () => new Holder(), (holder, thread) => thread % 2 == 0 ? holder.Machine.TryBegin() : holder.Machine.TryAbort());

        Assert.All(rounds, round =>
        {
            // Begin (Idle→Busy) then Abort (Busy→Done) is a valid sequence; Abort first leaves nothing for Begin.
            var begins = round.Results.Where((won, thread) => won && thread % 2 == 0).Count();
            var aborts = round.Results.Where((won, thread) => won && thread % 2 == 1).Count();
            Assert.True(aborts == 1 && begins <= 1, $"begins {begins}, aborts {aborts}");
            Assert.Equal(StructShape.State.Done, round.Machine.Machine.Current);
        });
    }

    private void Report<T>(IReadOnlyList<Race.Round<T>> rounds, Func<Race.Round<T>, string> outcome)
    {
        foreach (var group in rounds.GroupBy(outcome).OrderByDescending(g => g.Count()))
        {
            output.WriteLine($"{group.Key}: {group.Count()} of {rounds.Count} rounds");
        }
    }

    private sealed class Holder
    {
        public StructShape Machine;
    }
}
