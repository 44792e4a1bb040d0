namespace Weaver;

/// <summary>Whether two resource keys that differ only in letter case name the same resource.</summary>
public enum ResourceKeyCase
{
    /// <summary>Case matters: <c>src/A.cs</c> and <c>src/a.cs</c> are different resources (as on Linux file systems).</summary>
    Sensitive,

    /// <summary>
    /// Case does not matter: <c>src/A.cs</c> and <c>src/a.cs</c> are one resource (as on Windows and macOS file systems).
    /// Such keys are stored upper-cased (<see cref="string.ToUpperInvariant()"/>), so they compare ordinally.
    /// </summary>
    Insensitive,
}
