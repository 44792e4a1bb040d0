using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Weaver.Generators.Diagnostics;

/// <summary>
/// The declaration errors of a <c>[TaskMachine]</c>, reported by the generator (and only by it) for the machines it
/// cannot write. IDs WVR0001–WVR0099 belong to this family.
/// </summary>
internal static class DeclarationDiagnostics
{
    public static readonly DiagnosticDescriptor MachineNotPartial = DeclarationErrors.Create(
        "WVR0001",
        "Task machine type must be partial",
        "'{0}' must be declared 'partial' so Weaver can add the generated members of machine '{1}'");

    public static readonly DiagnosticDescriptor MachineKindNotSupported = DeclarationErrors.Create(
        "WVR0002",
        "Task machine must be a class, record or mutable struct",
        "'{0}' cannot be a task machine because it is {1}; declare it as a non-static class, a record, or a struct that is neither 'readonly' nor 'ref'");

    public static readonly DiagnosticDescriptor StateEnumMissing = DeclarationErrors.Create(
        "WVR0003",
        "Task machine has no state enum",
        "Machine '{0}' has no state enum: {1}");

    public static readonly DiagnosticDescriptor StateEnumInvalid = DeclarationErrors.Create(
        "WVR0004",
        "State enum cannot be used by a task machine",
        "State enum '{0}' of machine '{1}' cannot be used: {2}");

    public static readonly DiagnosticDescriptor NoInitialState = DeclarationErrors.Create(
        "WVR0005",
        "Task machine has no initial state",
        "Machine '{0}' has no initial state; mark exactly one member of '{1}' with [Initial]");

    public static readonly DiagnosticDescriptor SeveralInitialStates = DeclarationErrors.Create(
        "WVR0006",
        "Task machine has several initial states",
        "Machine '{0}' marks {1} states with [Initial] ({2}); keep [Initial] on exactly one");

    public static readonly DiagnosticDescriptor NoTerminalState = DeclarationErrors.Create(
        "WVR0007",
        "Task machine has no terminal state",
        "Machine '{0}' has no terminal state; mark at least one member of '{1}' with [Terminal] (for example Succeeded, Failed, Cancelled)");

    public static readonly DiagnosticDescriptor InvalidTransitionMethod = DeclarationErrors.Create(
        "WVR0008",
        "Transition method must be a partial bool Try method",
        "Transition method '{0}' {1}; declare it as 'public partial bool Try<Name>(...);' without a body, Weaver writes the body");

    public static readonly DiagnosticDescriptor TransitionStateNotInEnum = DeclarationErrors.Create(
        "WVR0009",
        "Transition state is not a state of the machine",
        "The {0} state of this transition of '{1}' is not a member of '{2}'; use one of: {3}");

    public static readonly DiagnosticDescriptor GuardNotFound = DeclarationErrors.Create(
        "WVR0010",
        "Guard method not found",
        "Guard '{0}' of trigger '{1}' does not exist in '{2}'; add 'private bool {0}({3})' or name an existing method with nameof");

    public static readonly DiagnosticDescriptor GuardWrongSignature = DeclarationErrors.Create(
        "WVR0011",
        "Guard method has the wrong signature",
        "Guard '{0}' of trigger '{1}' must be an accessible, non-generic method returning bool that takes no parameters or exactly the trigger's parameters ({2})");

    public static readonly DiagnosticDescriptor DuplicateTransition = DeclarationErrors.Create(
        "WVR0012",
        "Trigger declared twice from one state",
        "Trigger '{0}' declares more than one transition from state '{1}'; keep one, or give the other its own trigger");

    public static readonly DiagnosticDescriptor GeneratedMemberConflict = DeclarationErrors.Create(
        "WVR0013",
        "Member conflicts with a generated member",
        "'{0}' already has a member named '{1}', which Weaver generates for machine '{0}'; rename the member (or the trigger)");

    public static readonly DiagnosticDescriptor TriggerOverloaded = DeclarationErrors.Create(
        "WVR0014",
        "Trigger declared more than once",
        "Machine '{0}' declares trigger '{1}' more than once; give each trigger method its own name");

    public static readonly DiagnosticDescriptor LanguageVersionTooLow = DeclarationErrors.Create(
        "WVR0015",
        "Task machines need C# 11 or later",
        "Machine '{0}' needs C# 11 or later (its generated code implements static interface members); set <LangVersion> to 11 or later, or remove it to use the SDK's default");

    public static readonly DiagnosticDescriptor DerivesFromMachine = DeclarationErrors.Create(
        "WVR0016",
        "Task machine derives from another task machine",
        "'{0}' derives from task machine '{1}', whose generated members it would hide; hold a '{1}' in a field instead, or declare '{0}' as its own machine without that base class");

    public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
        MachineNotPartial,
        MachineKindNotSupported,
        StateEnumMissing,
        StateEnumInvalid,
        NoInitialState,
        SeveralInitialStates,
        NoTerminalState,
        InvalidTransitionMethod,
        TransitionStateNotInEnum,
        GuardNotFound,
        GuardWrongSignature,
        DuplicateTransition,
        GeneratedMemberConflict,
        TriggerOverloaded,
        LanguageVersionTooLow,
        DerivesFromMachine);
}
