namespace Weaver.Tests.Machines;

/// <summary>
/// The states of <c>Box&lt;T&gt;</c>. A generic machine cannot use a nested <c>enum State</c>: that enum would be
/// <c>Box&lt;T&gt;.State</c>, which depends on <c>T</c>, and C# forbids such constants as attribute arguments (CS0182).
/// </summary>
public enum BoxStates
{
    [Initial] Empty,
    Full,
    [Terminal] Sealed,
}
