using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Weaver.Generators.Diagnostics;
using Weaver.Generators.Parsing;

namespace Weaver.Generators.Analysis;

/// <summary>
/// Reports what is wrong with a <c>[TaskMachine]</c> declaration (WVR0001–WVR0099), using the same parser as the
/// generator, so a machine is either generated or explained, never silently skipped.
/// </summary>
/// <remarks>
/// An analyzer, not the generator, reports these: its diagnostics sit at real source locations, so IDE squiggles,
/// <c>.editorconfig</c> severities and <c>#pragma warning disable</c> all work, and the generator's cached
/// pipeline carries nothing but equatable specs.
/// </remarks>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class DeclarationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = DeclarationDiagnostics.All;

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = new KnownSymbols(start.Compilation);
            if (symbols.TaskMachineAttribute is null)
            {
                return; // Weaver is not referenced: nothing to check.
            }

            start.RegisterSymbolAction(symbolContext => AnalyzeType(symbolContext, symbols), SymbolKind.NamedType);
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, KnownSymbols symbols)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var attribute = type.GetAttributes().FirstOrDefault(a =>
            SymbolEqualityComparer.Default.Equals(a.AttributeClass, symbols.TaskMachineAttribute));
        if (attribute?.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).Parent?.Parent is not TypeDeclarationSyntax declaration)
        {
            return;
        }

        var parse = MachineParser.Parse(type, declaration, attribute, symbols, context.Compilation, context.CancellationToken);
        foreach (var diagnostic in parse.Diagnostics)
        {
            context.ReportDiagnostic(diagnostic);
        }
    }
}
