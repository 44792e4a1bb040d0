namespace Weaver.Generators.Diagnostics;

/// <summary>Where each diagnostic's page lives: <c>docs/diagnostics/WVRnnnn.md</c> in the repository.</summary>
internal static class HelpLinks
{
    public const string Root = "https://github.com/weaver-dotnet/weaver/blob/main/docs/diagnostics/";

    public static string For(string id) => Root + id + ".md";
}
