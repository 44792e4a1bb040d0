using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace Weaver.Analyzers.Locks;

/// <summary>
/// What an acquire and its release must both name to match: for a lock object, its field, local, parameter or
/// property; for a scope, the local or flow capture holding the scope value. An expression without a symbol
/// (<c>this</c>, <c>GetGate()</c>) matches a syntactically equivalent expression.
/// </summary>
internal readonly struct LockHandle : IEquatable<LockHandle>
{
    private LockHandle(ISymbol? symbol, CaptureId? capture, SyntaxNode? expression)
    {
        Symbol = symbol;
        Capture = capture;
        Expression = expression;
    }

    public ISymbol? Symbol { get; }

    public CaptureId? Capture { get; }

    public SyntaxNode? Expression { get; }

    /// <summary>A scope value nothing holds (its result was discarded): no release can match it.</summary>
    public bool IsUnreleasable => Symbol is null && Capture is null && Expression is null;

    public static LockHandle ForSymbol(ISymbol symbol) => new(symbol.OriginalDefinition, null, null);

    public static LockHandle ForCapture(CaptureId capture) => new(null, capture, null);

    public static LockHandle ForExpression(SyntaxNode expression) => new(null, null, expression);

    public static LockHandle None => default;

    public bool Equals(LockHandle other)
    {
        if (Symbol is not null || other.Symbol is not null)
        {
            return SymbolEqualityComparer.Default.Equals(Symbol, other.Symbol);
        }

        if (Capture is not null || other.Capture is not null)
        {
            return Capture.Equals(other.Capture);
        }

        if (Expression is null || other.Expression is null)
        {
            return Expression is null && other.Expression is null;
        }

        return SyntaxFactory.AreEquivalent(Expression, other.Expression);
    }

    public override bool Equals(object? obj) => obj is LockHandle other && Equals(other);

    public override int GetHashCode() =>
        Symbol is not null ? SymbolEqualityComparer.Default.GetHashCode(Symbol)
        : Capture is { } capture ? capture.GetHashCode()
        : Expression?.RawKind ?? 0;
}
