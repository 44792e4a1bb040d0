using Weaver.Tests.Machines;
using State = Weaver.Tests.Machines.ReviewMachine.State;

namespace Weaver.Tests.Support;

/// <summary>The triggers of <see cref="ReviewMachine"/>, so tests can pick them as data.</summary>
public enum ReviewTrigger
{
    Start,
    Succeed,
    ScheduleRetry,
    Requeue,
    Kill,
    Cancel,
}

/// <summary>
/// The specification of <see cref="ReviewMachine"/>, written by hand from its declaration, and the one place that
/// knows how to call each trigger with a payload that makes its guard accept or refuse.
/// </summary>
public static class ReviewTable
{
    /// <summary>Every declared transition: (source, trigger) to (target, whether a guard decides).</summary>
    public static readonly IReadOnlyDictionary<(State From, ReviewTrigger Trigger), (State To, bool Guarded)> Transitions =
        new Dictionary<(State, ReviewTrigger), (State, bool)>
        {
            [(State.Queued, ReviewTrigger.Start)] = (State.Running, false),
            [(State.Running, ReviewTrigger.Succeed)] = (State.Succeeded, false),
            [(State.Running, ReviewTrigger.ScheduleRetry)] = (State.RetryScheduled, true),
            [(State.RetryScheduled, ReviewTrigger.Requeue)] = (State.Queued, false),
            [(State.Running, ReviewTrigger.Kill)] = (State.Dead, true),
            [(State.RetryScheduled, ReviewTrigger.Kill)] = (State.Dead, true),
            [(State.Queued, ReviewTrigger.Cancel)] = (State.Cancelled, false),
            [(State.RetryScheduled, ReviewTrigger.Cancel)] = (State.Cancelled, false),
        };

    public static readonly State[] States = Enum.GetValues<State>();

    public static readonly ReviewTrigger[] Triggers = Enum.GetValues<ReviewTrigger>();

    /// <summary>The reason <c>Kill</c> gets when its guard should accept.</summary>
    public const string KillReason = "stuck";

    /// <summary>The reason <c>Kill</c> gets when its guard should refuse (it is blank).</summary>
    public const string BlankReason = " ";

    /// <summary>The message of the error <c>ScheduleRetry</c> gets.</summary>
    public const string RetryErrorMessage = "attempt timed out";

    /// <summary>What the model says a trigger does: whether it fires and the state afterwards.</summary>
    public static (bool Fired, State After) Step(State state, ReviewTrigger trigger, bool guardAllows) =>
        Transitions.TryGetValue((state, trigger), out var transition) && (!transition.Guarded || guardAllows)
            ? (true, transition.To)
            : (false, state);

    /// <summary>Calls <c>TryX</c>, first making the trigger's guard (if it has one) answer <paramref name="guardAllows"/>.</summary>
    public static bool Try(ReviewMachine machine, ReviewTrigger trigger, bool guardAllows = true)
    {
        if (trigger == ReviewTrigger.ScheduleRetry)
        {
            machine.RetryAllowed = guardAllows;
        }

        return TryWithGuardAsSet(machine, trigger, guardAllows);
    }

    /// <summary>
    /// Calls <c>TryX</c> without touching <see cref="ReviewMachine.RetryAllowed"/>, so that threads may share the
    /// machine; <paramref name="killGuardAllows"/> still picks <c>Kill</c>'s reason.
    /// </summary>
    public static bool TryWithGuardAsSet(ReviewMachine machine, ReviewTrigger trigger, bool killGuardAllows = true) => trigger switch
    {
        ReviewTrigger.Start => machine.TryStart(),
        ReviewTrigger.Succeed => machine.TrySucceed(),
        ReviewTrigger.ScheduleRetry => machine.TryScheduleRetry(new TimeoutException(RetryErrorMessage)),
        ReviewTrigger.Requeue => machine.TryRequeue(),
        ReviewTrigger.Kill => machine.TryKill(killGuardAllows ? KillReason : BlankReason),
        ReviewTrigger.Cancel => machine.TryCancel(),
        _ => throw new ArgumentOutOfRangeException(nameof(trigger), trigger, null),
    };

    /// <summary>Calls <c>CanX</c>, first making the trigger's guard (if it has one) answer <paramref name="guardAllows"/>.</summary>
    public static bool Can(ReviewMachine machine, ReviewTrigger trigger, bool guardAllows = true)
    {
        machine.RetryAllowed = guardAllows;
        return trigger switch
        {
            ReviewTrigger.Start => machine.CanStart(),
            ReviewTrigger.Succeed => machine.CanSucceed(),
            ReviewTrigger.ScheduleRetry => machine.CanScheduleRetry(new TimeoutException(RetryErrorMessage)),
            ReviewTrigger.Requeue => machine.CanRequeue(),
            ReviewTrigger.Kill => machine.CanKill(guardAllows ? KillReason : BlankReason),
            ReviewTrigger.Cancel => machine.CanCancel(),
            _ => throw new ArgumentOutOfRangeException(nameof(trigger), trigger, null),
        };
    }

    /// <summary>Calls the throwing <c>X</c>, first making the trigger's guard (if it has one) answer <paramref name="guardAllows"/>.</summary>
    public static void Fire(ReviewMachine machine, ReviewTrigger trigger, bool guardAllows = true)
    {
        machine.RetryAllowed = guardAllows;
        switch (trigger)
        {
            case ReviewTrigger.Start: machine.Start(); break;
            case ReviewTrigger.Succeed: machine.Succeed(); break;
            case ReviewTrigger.ScheduleRetry: machine.ScheduleRetry(new TimeoutException(RetryErrorMessage)); break;
            case ReviewTrigger.Requeue: machine.Requeue(); break;
            case ReviewTrigger.Kill: machine.Kill(guardAllows ? KillReason : BlankReason); break;
            case ReviewTrigger.Cancel: machine.Cancel(); break;
            default: throw new ArgumentOutOfRangeException(nameof(trigger), trigger, null);
        }
    }

    /// <summary>The calls <see cref="ReviewMachine.Calls"/> should show after <see cref="Try"/> moved the machine.</summary>
    public static string[] CallsOfSuccessfulTry(ReviewTrigger trigger, State from, State to) => trigger switch
    {
        ReviewTrigger.ScheduleRetry =>
        [
            $"HasAttemptsLeft(\"{RetryErrorMessage}\")",
            $"OnScheduleRetry({from}, {to}, \"{RetryErrorMessage}\")",
            $"OnTransitioned({from}, {to})",
        ],
        ReviewTrigger.Kill =>
        [
            $"HasReason(\"{KillReason}\")",
            $"OnKill({from}, {to}, \"{KillReason}\")",
            $"OnTransitioned({from}, {to})",
        ],
        _ => [$"On{trigger}({from}, {to})", $"OnTransitioned({from}, {to})"],
    };
}
