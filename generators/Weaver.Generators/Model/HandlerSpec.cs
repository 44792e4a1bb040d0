namespace Weaver.Generators.Model;

/// <summary>
/// Everything the emitter needs to write one handler's <c>Registration</c>, as plain values: no symbols, syntax or
/// compilation, and no locations, so moving a valid handler within its file changes nothing downstream.
/// </summary>
/// <param name="Namespace">The namespace, or <see langword="null"/> for the global namespace.</param>
/// <param name="ContainingTypes">The types the handler is nested in, outermost first.</param>
/// <param name="Type">The handler type's own declaration.</param>
/// <param name="DisplayName">The handler as messages and docs name it, e.g. <c>Demo.Outer.ReviewHandler</c>.</param>
/// <param name="FullName">The handler type, fully qualified (<c>global::Demo.Outer.ReviewHandler</c>).</param>
/// <param name="Name">The task kind, from <c>[TaskHandler("...")]</c>.</param>
/// <param name="InputType">The handler's <c>TInput</c>, fully qualified, with nullable annotations.</param>
/// <param name="ResultType">The handler's <c>TResult</c>, fully qualified, with nullable annotations.</param>
/// <param name="InputDisplayName">The <c>TInput</c> as docs name it.</param>
/// <param name="ResultDisplayName">The <c>TResult</c> as docs name it.</param>
/// <param name="HidesInheritedRegistration">
/// A base class is a handler too, so its <c>Registration</c> is inherited: the generated one is declared <c>new</c>.
/// </param>
/// <param name="SuppressedWarnings">
/// The warnings (CS0612, CS0618, or an <c>[Obsolete]</c> member's own <c>DiagnosticId</c>) that naming <c>TInput</c>
/// and <c>TResult</c> causes when they involve <c>[Obsolete]</c> types, or calling an <c>[Obsolete]</c> outcome
/// method. The compiler already reports the first where the handler's declaration names those types, and the second
/// is the handler's own choice; the generated part disables them, so it adds none of its own.
/// </param>
/// <param name="Reference">What naming the handler from outside it (as <c>WeaverHandlers</c> does) causes.</param>
/// <param name="Outcomes">
/// The handler's <c>[OnOutcome]</c> methods, by terminal state in the order <c>TaskLifecycle.State</c> declares them;
/// empty when it has none.
/// </param>
/// <param name="ConstructorServices">
/// The services the handler's only constructor takes, passed from dependency injection; empty when the handler is created
/// with <c>new T()</c>.
/// </param>
/// <param name="HintName">The generated file's name.</param>
internal sealed record HandlerSpec(
    string? Namespace,
    EquatableArray<TypeDeclarationSpec> ContainingTypes,
    TypeDeclarationSpec Type,
    string DisplayName,
    string FullName,
    string Name,
    string InputType,
    string ResultType,
    string InputDisplayName,
    string ResultDisplayName,
    bool HidesInheritedRegistration,
    EquatableArray<string> SuppressedWarnings,
    ObsoleteUse Reference,
    EquatableArray<OutcomeSpec> Outcomes,
    EquatableArray<ServiceParameterSpec> ConstructorServices,
    string HintName)
{
    /// <summary>Whether the handler takes services: it runs only where a Weaver host binds its registration.</summary>
    public bool NeedsServices => ConstructorServices.Count > 0;
}

/// <summary>A parameter of a handler's constructor, passed from the attempt's service scope.</summary>
/// <param name="Type">Its type, fully qualified, without nullable annotation.</param>
/// <param name="Optional">Null when no such service is registered (<c>GetService</c>), rather than an error (<c>GetRequiredService</c>).</param>
internal sealed record ServiceParameterSpec(string Type, bool Optional);

/// <summary>What using a type causes when it, or a type it is made of, is <c>[Obsolete]</c>.</summary>
/// <param name="IsError">Error CS0619 (<c>[Obsolete(..., error: true)]</c>), which no pragma disables.</param>
/// <param name="Warnings">The warnings it causes otherwise (CS0612, CS0618, or a custom <c>DiagnosticId</c>); empty when none.</param>
internal sealed record ObsoleteUse(bool IsError, EquatableArray<string> Warnings)
{
    public static ObsoleteUse None { get; } = new(false, EquatableArray<string>.Empty);
}
