using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Weaver.Generators.Diagnostics;

/// <summary>
/// The declaration errors of a <c>[TaskHandler]</c> class, reported by the generator for the handlers it cannot
/// register. IDs WVR0020–WVR0029 belong to this family (within the declaration range WVR0001–WVR0099).
/// </summary>
internal static class HandlerDiagnostics
{
    public static readonly DiagnosticDescriptor HandlerNotPartial = DeclarationErrors.Create(
        "WVR0020",
        "Task handler type must be partial",
        "'{0}' must be declared 'partial' so Weaver can add the Registration of task handler '{1}'");

    public static readonly DiagnosticDescriptor HandlerKindNotSupported = DeclarationErrors.Create(
        "WVR0021",
        "Task handler must be a non-abstract, non-generic class",
        "'{0}' cannot be a task handler because it is {1}; declare it as a non-abstract, non-static, non-generic class that is internal or public");

    public static readonly DiagnosticDescriptor HandlerInterfaceInvalid = DeclarationErrors.Create(
        "WVR0022",
        "Task handler must implement ITaskHandler<TInput, TResult> exactly once",
        "Task handler '{0}' {1}");

    public static readonly DiagnosticDescriptor HandlerNameInvalid = DeclarationErrors.Create(
        "WVR0023",
        "Task handler name must be a non-empty constant",
        "The name of task handler '{0}' {1}; pass a constant, non-blank string such as [TaskHandler(\"review-pr\")] (a const field or nameof works too)");

    public static readonly DiagnosticDescriptor HandlerNameDuplicate = DeclarationErrors.Create(
        "WVR0024",
        "Task handler name is used more than once",
        "Task handler name '{0}' of '{1}' is also used by {2}; give each task handler its own name, since a task finds its handler by name");

    public static readonly DiagnosticDescriptor HandlerNoParameterlessConstructor = DeclarationErrors.Create(
        "WVR0025",
        "Task handler has no parameterless constructor",
        "'{0}' has no constructor Weaver can call ({1}); Weaver creates a handler per attempt with 'new {0}()', so add a parameterless constructor (it may be private), or, in a project that sees dependency injection (the Weaver package brings it), give the handler one constructor, whose parameters a Weaver host passes from its services");

    public static readonly DiagnosticDescriptor HandlerMemberConflict = DeclarationErrors.Create(
        "WVR0026",
        "Member conflicts with the generated Registration property",
        "'{0}' {1}, but Weaver generates a static 'Registration' property in every task handler; rename it");

    public static readonly DiagnosticDescriptor HandlerLanguageVersionTooLow = DeclarationErrors.Create(
        "WVR0027",
        "Task handlers need C# 9 or later",
        "Task handler '{0}' needs C# 9 or later (its generated registration uses a static lambda); set <LangVersion> to 9 or later, or remove it to use the SDK's default");

    public static readonly DiagnosticDescriptor OutcomeMethodInvalid = DeclarationErrors.Create(
        "WVR0028",
        "Outcome method has the wrong shape",
        "Outcome method '{0}' of task handler '{1}' {2}; declare it as a non-generic instance method that takes a TaskSnapshot (and optionally a CancellationToken) and returns void, Task or ValueTask");

    public static readonly DiagnosticDescriptor OutcomeStateInvalid = DeclarationErrors.Create(
        "WVR0029",
        "Outcome state is not a terminal task state",
        "[OnOutcome] on '{0}' of task handler '{1}' names {2}, which {3}; pass a terminal state of TaskLifecycle.State ({4})");

    public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
        HandlerNotPartial,
        HandlerKindNotSupported,
        HandlerInterfaceInvalid,
        HandlerNameInvalid,
        HandlerNameDuplicate,
        HandlerNoParameterlessConstructor,
        HandlerMemberConflict,
        HandlerLanguageVersionTooLow,
        OutcomeMethodInvalid,
        OutcomeStateInvalid);
}
