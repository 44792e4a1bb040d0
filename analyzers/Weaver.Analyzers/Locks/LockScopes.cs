using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Weaver.Analyzers.Locks;

/// <summary>
/// Decides which user calls take a scoped lock: a lock held from the call until the value it returns is disposed.
/// That is a method or type marked <c>[LockScope]</c>, or one named by the <c>.editorconfig</c> key
/// <c>weaver.lock_scope</c> (documentation-comment IDs, comma-separated), read per syntax tree.
/// </summary>
internal sealed class LockScopes
{
    public const string ConfigurationKey = "weaver.lock_scope";

    private readonly Compilation _compilation;
    private readonly LockSymbols _symbols;
    private readonly AnalyzerConfigOptionsProvider _options;
    private readonly ConcurrentDictionary<string, ImmutableHashSet<ISymbol>> _configuredByValue = new(StringComparer.Ordinal);

    public LockScopes(Compilation compilation, LockSymbols symbols, AnalyzerConfigOptionsProvider options)
    {
        _compilation = compilation;
        _symbols = symbols;
        _options = options;
    }

    /// <summary>Whether calling <paramref name="method"/> (from code in <paramref name="tree"/>) takes a scoped lock.</summary>
    public bool TakesScope(IMethodSymbol method, SyntaxTree tree)
    {
        var configured = ConfiguredFor(tree);
        var original = method.OriginalDefinition;
        if (method.MethodKind == MethodKind.Constructor)
        {
            return IsScopeType(method.ContainingType, configured);
        }

        return _symbols.HasLockScopeAttribute(original)
            || configured.Contains(original)
            || IsScopeType(original.ReturnType, configured);
    }

    private bool IsScopeType(ITypeSymbol type, ImmutableHashSet<ISymbol> configured) =>
        type is INamedTypeSymbol named
        && (_symbols.HasLockScopeAttribute(named.OriginalDefinition) || configured.Contains(named.OriginalDefinition));

    private ImmutableHashSet<ISymbol> ConfiguredFor(SyntaxTree tree)
    {
        if (!_options.GetOptions(tree).TryGetValue(ConfigurationKey, out var value) || string.IsNullOrWhiteSpace(value))
        {
            return ImmutableHashSet<ISymbol>.Empty;
        }

        return _configuredByValue.GetOrAdd(value, Resolve);
    }

    private ImmutableHashSet<ISymbol> Resolve(string value)
    {
        var resolved = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var part in value.Split(','))
        {
            var id = part.Trim();
            if (id.Length == 0)
            {
                continue;
            }

            foreach (var symbol in DocumentationCommentId.GetSymbolsForDeclarationId(id, _compilation))
            {
                if (symbol is IMethodSymbol or INamedTypeSymbol)
                {
                    resolved.Add(symbol.OriginalDefinition);
                }
            }
        }

        return resolved.ToImmutable();
    }
}
