namespace Weaver.Tests.Machines;

/// <summary>
/// A review task's lifecycle, shaped like the GettingStarted sample, that records every guard and hook call so
/// tests can see what ran, in which order, with which payload. Its hooks are thread-safe.
/// </summary>
[TaskMachine]
public partial class ReviewMachine
{
    private readonly object _gate = new();
    private readonly List<string> _calls = new();
    private int _transitionCount;

    public enum State
    {
        [Initial] Queued,
        Running,
        RetryScheduled,
        [Terminal] Succeeded,
        [Terminal] Dead,
        [Terminal] Cancelled,
    }

    /// <summary>What <see cref="HasAttemptsLeft"/> answers.</summary>
    public bool RetryAllowed { get; set; } = true;

    /// <summary>Every guard and hook call, in order, as text such as <c>OnKill(Running, Dead, "stuck")</c>.</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_gate)
            {
                return _calls.ToArray();
            }
        }
    }

    /// <summary>How many times <c>OnTransitioned</c> ran.</summary>
    public int TransitionCount => Volatile.Read(ref _transitionCount);

    /// <summary>The exception the retry guard was last given.</summary>
    public Exception? ErrorSeenByGuard { get; private set; }

    /// <summary>The exception the retry hook was last given.</summary>
    public Exception? ErrorSeenByHook { get; private set; }

    [Transition(State.Queued, State.Running)]
    public partial bool TryStart();

    [Transition(State.Running, State.Succeeded)]
    public partial bool TrySucceed();

    [Transition(State.Running, State.RetryScheduled, Guard = nameof(HasAttemptsLeft))]
    public partial bool TryScheduleRetry(Exception error);

    [Transition(State.RetryScheduled, State.Queued)]
    public partial bool TryRequeue();

    [Transition(State.Running, State.Dead, Guard = nameof(HasReason))]
    [Transition(State.RetryScheduled, State.Dead, Guard = nameof(HasReason))]
    public partial bool TryKill(string reason);

    [Transition(State.Queued, State.Cancelled)]
    [Transition(State.RetryScheduled, State.Cancelled)]
    public partial bool TryCancel();

    private bool HasAttemptsLeft(Exception error)
    {
        ErrorSeenByGuard = error;
        Record($"HasAttemptsLeft(\"{error.Message}\")");
        return RetryAllowed;
    }

    private bool HasReason(string reason)
    {
        Record($"HasReason(\"{reason}\")");
        return !string.IsNullOrWhiteSpace(reason);
    }

    partial void OnStart(State from, State to) => Record($"OnStart({from}, {to})");

    partial void OnSucceed(State from, State to) => Record($"OnSucceed({from}, {to})");

    partial void OnScheduleRetry(State from, State to, Exception error)
    {
        ErrorSeenByHook = error;
        Record($"OnScheduleRetry({from}, {to}, \"{error.Message}\")");
    }

    partial void OnRequeue(State from, State to) => Record($"OnRequeue({from}, {to})");

    partial void OnKill(State from, State to, string reason) => Record($"OnKill({from}, {to}, \"{reason}\")");

    partial void OnCancel(State from, State to) => Record($"OnCancel({from}, {to})");

    partial void OnTransitioned(State from, State to)
    {
        Interlocked.Increment(ref _transitionCount);
        Record($"OnTransitioned({from}, {to})");
    }

    private void Record(string call)
    {
        lock (_gate)
        {
            _calls.Add(call);
        }
    }
}
