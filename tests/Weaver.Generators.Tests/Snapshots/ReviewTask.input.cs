using System;
using Weaver;

namespace Demo;

[TaskMachine]
public partial class ReviewTask
{
    public enum State
    {
        [Initial] Queued,
        Running,
        RetryScheduled,
        [Terminal] Succeeded,
        [Terminal] Dead,
        [Terminal] Cancelled,
    }

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

    private bool HasAttemptsLeft(Exception error) => Attempts < 5;

    public int Attempts { get; private set; }
}
