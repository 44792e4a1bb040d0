using Microsoft.CodeAnalysis;
using Weaver.Generators.Emitting;
using Weaver.Generators.Model;
using Weaver.Generators.Parsing;

namespace Weaver.Generators;

/// <summary>
/// Writes the generated half of every <c>[TaskMachine]</c> type: parse (symbols to an equatable
/// <see cref="MachineSpec"/>), then emit (spec to source). Declaration errors become diagnostics.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class TaskMachineGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline's steps, for the caching tests.</summary>
    public static class Steps
    {
        /// <summary>The parse of each <c>[TaskMachine]</c> declaration.</summary>
        public const string Parse = "Weaver.Parse";

        /// <summary>The specs of valid machines, which the emitter consumes.</summary>
        public const string Specs = "Weaver.Specs";

        /// <summary>The diagnostics of each declaration.</summary>
        public const string Diagnostics = "Weaver.Diagnostics";
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownSymbols.TaskMachineAttributeName,
                predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
                transform: static (context, cancellationToken) => MachineParser.Parse(context, cancellationToken))
            .Where(static result => result is not null)
            .Select(static (result, _) => result!)
            .WithTrackingName(Steps.Parse);

        var specs = parsed
            .Select(static (result, _) => result.Spec)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(Steps.Specs);

        var diagnostics = parsed
            .Select(static (result, _) => result.Diagnostics)
            .Where(static diagnostics => diagnostics.Count > 0)
            .WithTrackingName(Steps.Diagnostics);

        context.RegisterSourceOutput(specs, static (output, spec) => output.AddSource(spec.HintName, MachineEmitter.Emit(spec)));
        context.RegisterSourceOutput(diagnostics, static (output, diagnostics) =>
        {
            foreach (var diagnostic in diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });
    }
}
