using System.Linq;
using Microsoft.CodeAnalysis;

namespace Weaver.Generators.Parsing;

/// <summary>Weaver's attribute types, resolved once per parse.</summary>
internal sealed class KnownSymbols
{
    public const string TaskMachineAttributeName = "Weaver.TaskMachineAttribute";

    public KnownSymbols(Compilation compilation)
    {
        TaskMachineAttribute = compilation.GetTypeByMetadataName(TaskMachineAttributeName);
        InitialAttribute = compilation.GetTypeByMetadataName("Weaver.InitialAttribute");
        TerminalAttribute = compilation.GetTypeByMetadataName("Weaver.TerminalAttribute");
        TransitionAttribute = compilation.GetTypeByMetadataName("Weaver.TransitionAttribute");
    }

    public INamedTypeSymbol? TaskMachineAttribute { get; }

    public INamedTypeSymbol? InitialAttribute { get; }

    public INamedTypeSymbol? TerminalAttribute { get; }

    public INamedTypeSymbol? TransitionAttribute { get; }

    public bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attribute) =>
        attribute is not null && symbol.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute));
}
