namespace Weaver.Generators.Model;

/// <summary>One <c>partial bool Try…</c> method and the transitions it fires.</summary>
/// <param name="Name">The trigger's name: the method's name without <c>Try</c>, e.g. <c>Start</c>.</param>
/// <param name="Modifiers">The method's accessibility keywords exactly as the user wrote them (may be empty).</param>
/// <param name="Parameters">The payload parameters.</param>
/// <param name="Transitions">The transitions, one per source state, in declaration order.</param>
internal sealed record TriggerSpec(
    string Name,
    string Modifiers,
    EquatableArray<ParameterSpec> Parameters,
    EquatableArray<TransitionSpec> Transitions)
{
    public string MethodName => "Try" + Name;
}
