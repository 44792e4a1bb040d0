using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Weaver.Generators.Diagnostics;
using Weaver.Generators.Emitting;
using Weaver.Generators.Model;
using Weaver.Generators.Parsing;

namespace Weaver.Generators;

/// <summary>
/// Writes the generated half of every valid <c>[TaskMachine]</c> type, and reports what is wrong with the others:
/// parse (symbols to an equatable <see cref="MachineParseResult"/>), then emit (spec to source) or report. Beside
/// it runs the handler pipeline (<see cref="HandlerPipeline"/>), which registers <c>[TaskHandler]</c> classes.
/// </summary>
/// <remarks>
/// Declaration errors are reported here, not by an analyzer, because the command-line compiler stops at the
/// CS8795 errors an ungenerated machine causes and never runs analyzers: only generator diagnostics reach a
/// <c>dotnet build</c>. Their locations are resolved against the current compilation in the last step, so they
/// are real source locations (pragmas and <c>.editorconfig</c> apply) while every cached step holds plain values.
/// </remarks>
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

        /// <summary>The diagnostics of invalid declarations.</summary>
        public const string Diagnostics = "Weaver.Diagnostics";
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownSymbols.TaskMachineAttributeName,
                predicate: static (node, _) => node is TypeDeclarationSyntax,
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

        HandlerPipeline.Initialize(context);

        DiagnosticReporting.Register(context, diagnostics);
    }
}
