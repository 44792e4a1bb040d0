namespace Weaver.Tests.Machines;

/// <summary>
/// Regression: a struct machine with an instance field of its own. The generator adds <c>_weaverState</c> in another
/// partial declaration, which is warning CS0282, an error wherever warnings are errors (as in this repository).
/// </summary>
[TaskMachine]
public partial struct FieldStructMachine
{
    public enum State
    {
        [Initial] Pending,
        [Terminal] Counted,
    }

    public int Total { get; private set; }

    [Transition(State.Pending, State.Counted)]
    public partial bool TryTally(int count);

    partial void OnTally(State from, State to, int count) => Total = count;
}
