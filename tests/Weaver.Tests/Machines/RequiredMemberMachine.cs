namespace Weaver.Tests.Machines;

/// <summary>Regression: a machine with a <c>required</c> member; the generated <c>Restore(State)</c> calls <c>new()</c> without setting it.</summary>
[TaskMachine]
public partial class RequiredMemberMachine
{
    public enum State
    {
        [Initial] Draft,
        [Terminal] Sent,
    }

    public required string Recipient { get; init; }

    [Transition(State.Draft, State.Sent)]
    public partial bool TrySend();
}
