using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Weaver.Generators.Diagnostics;
using Weaver.Generators.Emitting;
using Weaver.Generators.Model;
using Weaver.Generators.Parsing;

namespace Weaver.Generators;

/// <summary>
/// The generator's second pipeline, beside the machines': every <c>[TaskHandler]</c> class gets a static
/// <c>Registration</c>, and the assembly gets one <c>WeaverHandlers.RegisterAll</c> that adds them all.
/// </summary>
/// <remarks>
/// <para>Shaped like the machine pipeline: parse (symbols to an equatable <see cref="HandlerParseResult"/>), then emit
/// each valid handler on its own, or report. A valid handler's result holds no location, so edits elsewhere (even
/// above it in its file) leave every step cached.</para>
/// <para>Two steps look at all handlers at once: <c>WeaverHandlers</c> collects the specs, and the duplicate-name
/// check collects the names. The duplicates step holds no location either: the handlers that share a name are found
/// again by metadata name in the last step, which reports against the current compilation.</para>
/// </remarks>
internal static class HandlerPipeline
{
    /// <summary>Tracking names of the pipeline's steps, for the caching tests.</summary>
    public static class Steps
    {
        /// <summary>The parse of each <c>[TaskHandler]</c> class.</summary>
        public const string Parse = "Weaver.Handlers.Parse";

        /// <summary>The specs of valid handlers, which the emitter consumes.</summary>
        public const string Specs = "Weaver.Handlers.Specs";

        /// <summary>The diagnostics of invalid handlers.</summary>
        public const string Diagnostics = "Weaver.Handlers.Diagnostics";

        /// <summary>The task kinds of all handlers, collected.</summary>
        public const string Names = "Weaver.Handlers.Names";

        /// <summary>The handlers whose task kind another handler uses too.</summary>
        public const string DuplicateNames = "Weaver.Handlers.DuplicateNames";

        /// <summary>The namespace of <c>WeaverHandlers</c>.</summary>
        public const string RootNamespace = "Weaver.Handlers.RootNamespace";

        /// <summary>Whether <c>WeaverHandlers</c> gets <c>AddWeaverHandlers</c> (the compilation sees dependency injection).</summary>
        public const string DependencyInjection = "Weaver.Handlers.DependencyInjection";

        /// <summary>The <c>WeaverHandlers</c> class: every valid handler, collected.</summary>
        public const string Registry = "Weaver.Handlers.Registry";

        /// <summary>Every step above.</summary>
        public static ImmutableArray<string> All { get; } =
            ImmutableArray.Create(Parse, Specs, Diagnostics, Names, DuplicateNames, RootNamespace, DependencyInjection, Registry);
    }

    public static void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                HandlerParser.TaskHandlerAttributeName,
                predicate: static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                transform: static (context, cancellationToken) => HandlerParser.Parse(context, cancellationToken))
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

        var duplicates = parsed
            .Select(static (result, _) => result.Name)
            .Where(static name => name is not null)
            .Select(static (name, _) => name!)
            .Collect()
            .WithTrackingName(Steps.Names)
            .SelectMany(static (names, cancellationToken) => DuplicateHandlerNames.Find(names, cancellationToken))
            .WithTrackingName(Steps.DuplicateNames);

        // WeaverHandlers is emitted once the assembly declares a handler, valid or not, so that calls to RegisterAll
        // keep compiling while a handler's diagnostics are being fixed. An assembly without handlers gets none.
        var handlerSpecs = parsed
            .Select(static (result, _) => result.Spec)
            .Collect();

        // Runs on every edit, since it checks the namespace against the compilation's types (only while the assembly
        // has handlers), but yields an equal string.
        var rootNamespace = handlerSpecs
            .Select(static (specs, _) => !specs.IsEmpty)
            .Combine(context.AnalyzerConfigOptionsProvider.Select(static (options, _) => RootNamespace.Configured(options)))
            .Combine(context.CompilationProvider)
            .Select(static (input, _) => input.Left.Left ? RootNamespace.Choose(input.Left.Right, input.Right) : null)
            .WithTrackingName(Steps.RootNamespace);

        // Like the namespace: runs on every edit while the assembly has handlers, and yields an equal bool.
        var dependencyInjection = handlerSpecs
            .Select(static (specs, _) => !specs.IsEmpty)
            .Combine(context.CompilationProvider)
            .Select(static (input, _) => input.Left && ServiceCollectionSupport.IsAvailable(input.Right))
            .WithTrackingName(Steps.DependencyInjection);

        var registry = handlerSpecs
            .Combine(rootNamespace)
            .Combine(dependencyInjection)
            .Select(static (input, _) => input.Left.Right is null ? null : Registry(input.Left.Left, input.Left.Right, input.Right))
            .WithTrackingName(Steps.Registry);

        context.RegisterSourceOutput(specs, static (output, spec) => output.AddSource(spec.HintName, HandlerEmitter.Emit(spec)));

        context.RegisterSourceOutput(registry, static (output, spec) =>
        {
            if (spec is not null)
            {
                output.AddSource(HandlerRegistrySpec.HintName, HandlerEmitter.EmitRegistry(spec));
            }
        });

        DiagnosticReporting.Register(context, diagnostics);

        // Only handlers that share a name reach this step: each is found again in the current compilation, and the
        // diagnostic goes on its name argument.
        context.RegisterSourceOutput(duplicates.Combine(context.CompilationProvider), static (output, input) =>
        {
            var (duplicate, compilation) = input;
            var handler = compilation.Assembly.GetTypeByMetadataName(duplicate.Handler.MetadataName);
            var attribute = handler is null
                ? null
                : HandlerParser.HandlerAttribute(handler, compilation.GetTypeByMetadataName(HandlerParser.TaskHandlerAttributeName));
            var location = attribute is null ? null : HandlerParser.NameLocation(attribute, output.CancellationToken);
            output.ReportDiagnostic(Diagnostic.Create(
                HandlerDiagnostics.HandlerNameDuplicate,
                location,
                duplicate.Handler.Name,
                duplicate.Handler.DisplayName,
                string.Join(", ", duplicate.Others.Select(o => $"'{o}'"))));
        });
    }

    private static HandlerRegistrySpec Registry(ImmutableArray<HandlerSpec?> specs, string rootNamespace, bool addsServices)
    {
        var handlers = specs
            .Where(static spec => spec is not null)
            .Select(static spec => new HandlerRegistryEntry(spec!.Name, spec.FullName, spec.Reference, spec.NeedsServices))
            .OrderBy(static entry => entry.Name, System.StringComparer.Ordinal)
            .ThenBy(static entry => entry.FullName, System.StringComparer.Ordinal);
        return new HandlerRegistrySpec(rootNamespace, handlers.ToEquatableArray(), addsServices);
    }
}
