using Microsoft.CodeAnalysis;

namespace Weaver.Analyzers.Handlers;

/// <summary>The types the outcome rules look for, resolved once per compilation.</summary>
internal sealed class OutcomeSymbols
{
    private OutcomeSymbols(INamedTypeSymbol onOutcomeAttribute, INamedTypeSymbol taskHandlerAttribute)
    {
        OnOutcomeAttribute = onOutcomeAttribute;
        TaskHandlerAttribute = taskHandlerAttribute;
    }

    public INamedTypeSymbol OnOutcomeAttribute { get; }

    public INamedTypeSymbol TaskHandlerAttribute { get; }

    /// <summary><see langword="null"/> when the referenced Weaver has no outcomes.</summary>
    public static OutcomeSymbols? TryCreate(Compilation compilation, INamedTypeSymbol? taskHandlerAttribute) =>
        compilation.GetTypeByMetadataName("Weaver.OnOutcomeAttribute") is { } onOutcome && taskHandlerAttribute is not null
            ? new OutcomeSymbols(onOutcome, taskHandlerAttribute)
            : null;
}
