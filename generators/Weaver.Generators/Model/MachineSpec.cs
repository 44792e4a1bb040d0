namespace Weaver.Generators.Model;

/// <summary>
/// Everything the emitter needs to write one machine, as plain values: no symbols, syntax or compilation.
/// </summary>
/// <param name="Namespace">The namespace, or <see langword="null"/> for the global namespace.</param>
/// <param name="ContainingTypes">The types the machine is nested in, outermost first.</param>
/// <param name="Type">The machine type's own declaration.</param>
/// <param name="DisplayName">The machine's name in messages and metadata, e.g. <c>ReviewTask</c>.</param>
/// <param name="FullName">The machine type, fully qualified (<c>global::Demo.ReviewTask</c>).</param>
/// <param name="StateType">How generated code inside the machine names its state enum (<c>State</c>).</param>
/// <param name="FullStateType">The state enum, fully qualified (<c>global::Demo.ReviewTask.State</c>).</param>
/// <param name="HasParameterlessConstructor">Whether <c>new T()</c> compiles cleanly inside the machine.</param>
/// <param name="NeedsAutoLayout">
/// A struct without its own <c>[StructLayout]</c>: the generated part adds <c>LayoutKind.Auto</c>, since fields in
/// two partial declarations of a sequential struct have no defined order (CS0282).
/// </param>
/// <param name="ResultTypeParameter"><c>Match</c>'s type parameter: <c>TResult</c> unless the machine already uses that name.</param>
/// <param name="States">The states, in declaration order.</param>
/// <param name="Triggers">The triggers, in declaration order.</param>
/// <param name="HintName">The generated file's name.</param>
internal sealed record MachineSpec(
    string? Namespace,
    EquatableArray<TypeDeclarationSpec> ContainingTypes,
    TypeDeclarationSpec Type,
    string DisplayName,
    string FullName,
    string StateType,
    string FullStateType,
    bool HasParameterlessConstructor,
    bool NeedsAutoLayout,
    string ResultTypeParameter,
    EquatableArray<StateSpec> States,
    EquatableArray<TriggerSpec> Triggers,
    string HintName);

