namespace Weaver.Generators.Model;

/// <summary>Names of the generated private members and hooks, shared by the conflict check and the emitter.</summary>
internal static class GeneratedNames
{
    public const string StateField = "_weaverState";
    public const string Encode = "WeaverEncode";
    public const string Decode = "WeaverDecode";
    public const string StateName = "WeaverStateName";
    public const string PermittedTriggers = "WeaverPermittedTriggers";
    public const string InvalidTransition = "WeaverInvalidTransition";
    public const string UnknownState = "WeaverUnknownState";
    public const string TransitionedHook = "OnTransitioned";
    public const string ClaimTable = "ClaimTable";
}
