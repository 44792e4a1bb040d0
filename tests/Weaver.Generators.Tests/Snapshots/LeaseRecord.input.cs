using Weaver;

public enum LeaseState : byte
{
    Released = 1,
    [Initial] Free = 4,
    Held = 8,
    [Terminal] Retired = 16,
}

[TaskMachine(typeof(LeaseState))]
internal partial record struct LeaseRecord(string Key)
{
    [Transition(LeaseState.Free, LeaseState.Held)]
    [Transition(LeaseState.Released, LeaseState.Held)]
    public partial bool TryAcquire(string? owner, int priority = 0);

    [Transition(LeaseState.Held, LeaseState.Released, Guard = nameof(IsOwner))]
    internal partial bool TryRelease(string? owner);

    [Transition(LeaseState.Free, LeaseState.Retired)]
    [Transition(LeaseState.Released, LeaseState.Retired)]
    [Transition(LeaseState.Held, LeaseState.Retired, Guard = nameof(AllowForcedRetire))]
    public partial bool TryRetire();

    private bool IsOwner(string? owner) => owner is not null;

    private static bool AllowForcedRetire() => true;
}
