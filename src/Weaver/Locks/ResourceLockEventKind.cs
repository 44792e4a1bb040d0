namespace Weaver;

/// <summary>What happened to a set of resource locks.</summary>
public enum ResourceLockEventKind
{
    /// <summary>A task acquired all the resources it asked for.</summary>
    Acquired,

    /// <summary>A holder renewed its lease (a heartbeat).</summary>
    Renewed,

    /// <summary>A holder released its lease.</summary>
    Released,

    /// <summary>The manager released a lease whose holder stopped heartbeating.</summary>
    StaleReleased,

    /// <summary>A task asked for resources that others hold, and got none of them.</summary>
    Conflict,
}
