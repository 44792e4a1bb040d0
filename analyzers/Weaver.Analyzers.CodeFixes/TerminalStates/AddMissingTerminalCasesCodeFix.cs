using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;
using Weaver.Analyzers.Infrastructure;
using Weaver.Analyzers.TerminalStates;

namespace Weaver.Analyzers.CodeFixes.TerminalStates;

/// <summary>WVR0110: adds a case for each terminal state a switch over a machine's states misses.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddMissingTerminalCasesCodeFix)), Shared]
public sealed class AddMissingTerminalCasesCodeFix : CodeFixProvider
{
    private const string Title = "Add missing terminal cases";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(TerminalStateRules.SwitchMissesTerminalState.Id);

    /// <summary>
    /// Fixes a document's switches in one edit, so that a switch nested in another gets its cases as well as the
    /// outer one (separately computed text changes to both could not be merged).
    /// </summary>
    public override FixAllProvider GetFixAllProvider() =>
        FixAllProvider.Create(async (context, document, diagnostics) =>
            await AddMissingCasesAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(
                CodeAction.Create(
                    Title,
                    cancellationToken => AddMissingCasesAsync(context.Document, ImmutableArray.Create(diagnostic), cancellationToken),
                    equivalenceKey: Title),
                diagnostic);
        }

        return Task.CompletedTask;
    }

    private static async Task<Document> AddMissingCasesAsync(
        Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        if (WeaverSymbols.TryCreate(editor.SemanticModel.Compilation) is not { } symbols)
        {
            return document;
        }

        foreach (var diagnostic in diagnostics)
        {
            var switchNode = editor.OriginalRoot.FindToken(diagnostic.Location.SourceSpan.Start).Parent;
            if (switchNode is not null
                && editor.SemanticModel.GetOperation(switchNode, cancellationToken) is { } operation
                && TerminalSwitch.Read(operation, symbols) is { MissingTerminalStates.IsEmpty: false } terminalSwitch)
            {
                editor.ReplaceNode(switchNode, (current, _) => MissingTerminalCases.AddTo(current, terminalSwitch));
            }
        }

        return editor.GetChangedDocument();
    }
}
