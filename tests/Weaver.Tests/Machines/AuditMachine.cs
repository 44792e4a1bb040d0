using System.Runtime.CompilerServices;

namespace Weaver.Tests.Machines;

/// <summary>
/// Regression: a trigger whose payload is filled in by the compiler with <c>[CallerMemberName]</c>. The generated
/// <c>CanX</c> and <c>X</c> must repeat the attribute, or they would pass the default value instead of their caller.
/// </summary>
[TaskMachine]
public partial class AuditMachine
{
    public enum State
    {
        [Initial] Open,
        [Terminal] Closed,
    }

    public string? LastCaller { get; private set; }

    public string? LastGuardCaller { get; private set; }

    [Transition(State.Open, State.Open, Guard = nameof(Allowed))]
    public partial bool TryTouch([CallerMemberName] string caller = "");

    [Transition(State.Open, State.Closed)]
    public partial bool TryClose();

    private bool Allowed(string caller)
    {
        LastGuardCaller = caller;
        return true;
    }

    partial void OnTouch(State from, State to, string caller) => LastCaller = caller;
}
