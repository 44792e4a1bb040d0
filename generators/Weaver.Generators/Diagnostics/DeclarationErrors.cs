using Microsoft.CodeAnalysis;

namespace Weaver.Generators.Diagnostics;

/// <summary>How every declaration error of the generator is described: an error, on by default, with a help page.</summary>
internal static class DeclarationErrors
{
    public const string Category = "Weaver.Declaration";

    public static DiagnosticDescriptor Create(string id, string title, string message) =>
        new(
            id,
            title,
            message,
            Category,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinks.For(id));
}
