using Weaver;

namespace GettingStarted;

/// <summary>The lifecycle of one code-review task, as DESIGN.md 1.1 declares it.</summary>
[TaskMachine]
public partial class ReviewTask
{
    public const int MaxAttempts = 3;

    private readonly List<string> _log = new();

    public enum State
    {
        [Initial] Queued,
        Running,
        RetryScheduled,
        [Terminal] Succeeded,
        [Terminal] Dead,
        [Terminal] Cancelled,
    }

    public int Attempts { get; private set; }

    public IReadOnlyList<string> Log => _log;

    [Transition(State.Queued, State.Running)]
    public partial bool TryStart();

    [Transition(State.Running, State.Succeeded)]
    public partial bool TrySucceed();

    [Transition(State.Running, State.RetryScheduled, Guard = nameof(HasAttemptsLeft))]
    public partial bool TryScheduleRetry(Exception error);

    [Transition(State.RetryScheduled, State.Queued)]
    public partial bool TryRequeue();

    [Transition(State.Running, State.Dead)]
    [Transition(State.RetryScheduled, State.Dead)]
    public partial bool TryKill(string reason);

    [Transition(State.Queued, State.Cancelled)]
    [Transition(State.RetryScheduled, State.Cancelled)]
    public partial bool TryCancel();

    private bool HasAttemptsLeft(Exception error) => Attempts < MaxAttempts;

    partial void OnStart(State from, State to) => Attempts++;

    partial void OnScheduleRetry(State from, State to, Exception error) => _log.Add($"retry after: {error.Message}");

    partial void OnKill(State from, State to, string reason) => _log.Add($"killed: {reason}");

    partial void OnTransitioned(State from, State to) => _log.Add($"{from} -> {to}");
}
