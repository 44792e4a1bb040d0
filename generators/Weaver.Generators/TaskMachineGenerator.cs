using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Weaver.Generators.Emitting;
using Weaver.Generators.Model;
using Weaver.Generators.Parsing;

namespace Weaver.Generators;

/// <summary>
/// Writes the generated half of every valid <c>[TaskMachine]</c> type: parse (symbols to an equatable
/// <see cref="MachineSpec"/>), then emit (spec to source). An invalid declaration gives no spec; the
/// <see cref="Analysis.DeclarationAnalyzer"/> reports why, from the same parser.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class TaskMachineGenerator : IIncrementalGenerator
{
    /// <summary>Tracking name of the parse step, for the caching tests.</summary>
    public const string ParseStep = "Weaver.Parse";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var specs = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownSymbols.TaskMachineAttributeName,
                predicate: static (node, _) => node is TypeDeclarationSyntax,
                transform: static (context, cancellationToken) => MachineParser.ParseSpec(context, cancellationToken))
            .WithTrackingName(ParseStep)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!);

        context.RegisterSourceOutput(specs, static (output, spec) => output.AddSource(spec.HintName, MachineEmitter.Emit(spec)));
    }
}
