namespace Weaver.Tests.Machines;

/// <summary>Guards that take no parameters, on triggers that do take a payload (single- and multi-source).</summary>
[TaskMachine]
public partial class TurnstileMachine
{
    public enum State
    {
        [Initial] Locked,
        Unlocked,
        [Terminal] Broken,
    }

    public bool Powered { get; set; }

    public int GuardCalls { get; private set; }

    public string? LastVisitor { get; private set; }

    public int LastCoins { get; private set; }

    [Transition(State.Locked, State.Unlocked, Guard = nameof(HasPower))]
    public partial bool TryInsert(string visitor, int coins);

    [Transition(State.Locked, State.Broken, Guard = nameof(HasPower))]
    [Transition(State.Unlocked, State.Broken)]
    public partial bool TryKick(int force);

    private bool HasPower()
    {
        GuardCalls++;
        return Powered;
    }

    partial void OnInsert(State from, State to, string visitor, int coins)
    {
        LastVisitor = visitor;
        LastCoins = coins;
    }
}
