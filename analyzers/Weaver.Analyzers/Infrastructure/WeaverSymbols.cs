using Microsoft.CodeAnalysis;

namespace Weaver.Analyzers.Infrastructure;

/// <summary>
/// The Weaver types the analyzers look for, resolved once per compilation. <see cref="TryCreate"/> returns
/// <see langword="null"/> when the compilation does not reference Weaver, and every analyzer then stops at once.
/// </summary>
internal sealed class WeaverSymbols
{
    private WeaverSymbols(Compilation compilation, INamedTypeSymbol taskMachineAttribute)
    {
        Compilation = compilation;
        TaskMachineAttribute = taskMachineAttribute;
        InitialAttribute = compilation.GetTypeByMetadataName("Weaver.InitialAttribute");
        TerminalAttribute = compilation.GetTypeByMetadataName("Weaver.TerminalAttribute");
        TransitionAttribute = compilation.GetTypeByMetadataName("Weaver.TransitionAttribute");
        TaskHandlerAttribute = compilation.GetTypeByMetadataName("Weaver.TaskHandlerAttribute");
        TaskHandlerInterface = compilation.GetTypeByMetadataName("Weaver.ITaskHandler`2");
        ClaimTable = compilation.GetTypeByMetadataName("Weaver.ClaimTable`1");
        TaskQueue = compilation.GetTypeByMetadataName("Weaver.TaskQueue`1");
    }

    public Compilation Compilation { get; }

    public INamedTypeSymbol TaskMachineAttribute { get; }

    public INamedTypeSymbol? InitialAttribute { get; }

    public INamedTypeSymbol? TerminalAttribute { get; }

    public INamedTypeSymbol? TransitionAttribute { get; }

    public INamedTypeSymbol? TaskHandlerAttribute { get; }

    public INamedTypeSymbol? TaskHandlerInterface { get; }

    public INamedTypeSymbol? ClaimTable { get; }

    public INamedTypeSymbol? TaskQueue { get; }

    public static WeaverSymbols? TryCreate(Compilation compilation) =>
        compilation.GetTypeByMetadataName("Weaver.TaskMachineAttribute") is { } taskMachineAttribute
            ? new WeaverSymbols(compilation, taskMachineAttribute)
            : null;

    public bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attributeType)
    {
        if (attributeType is null)
        {
            return false;
        }

        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return true;
            }
        }

        return false;
    }
}
