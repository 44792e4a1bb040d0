namespace Weaver.Tests.Machines.States;

/// <summary>States declared outside the machine that uses them (<c>DocumentMachine</c>), in another namespace.</summary>
public enum DocumentStates
{
    [Initial] Draft,
    Published,
    [Terminal] Archived,
}
