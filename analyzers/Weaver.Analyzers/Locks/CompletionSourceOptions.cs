using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Weaver.Analyzers.Locks;

/// <summary>
/// Decides whether a <c>TaskCompletionSource</c> is known to run its continuations asynchronously, so completing it
/// under a lock wakes nobody up inline: it was created with <c>TaskCreationOptions.RunContinuationsAsynchronously</c>,
/// or its type derives from <c>TaskCompletionSource</c> and every constructor passes that flag to the base.
/// </summary>
/// <remarks>
/// A field or local is known only when every write of it in its scope (the field's type declaration, the local's
/// member) stores such an instance. Only code in the syntax tree being analysed is read: a field of a partial type
/// also written in another file is not known.
/// </remarks>
internal sealed class CompletionSourceOptions
{
    private const int RunContinuationsAsynchronously = 64;
    private const int MaxConstructorChain = 16;

    private readonly LockSymbols _symbols;
    private readonly ConcurrentDictionary<ISymbol, bool> _knownBySymbol = new(SymbolEqualityComparer.Default);

    public CompletionSourceOptions(LockSymbols symbols) => _symbols = symbols;

    /// <summary>Whether completing <paramref name="source"/> is known not to run continuations inline.</summary>
    public bool RunsContinuationsAsynchronously(IOperation source, FlowCaptures captures, SemanticModel model)
    {
        var instance = captures.Unwrap(source);
        if (instance.Type is INamedTypeSymbol type && IsDerivedCompletionSource(type) && AllConstructorsPassFlag(type, model, 0))
        {
            return true;
        }

        if (instance is IObjectCreationOperation)
        {
            return IsAsynchronousCreation(instance, model, 0);
        }

        ISymbol? symbol = instance switch
        {
            IFieldReferenceOperation field => field.Field.OriginalDefinition,
            ILocalReferenceOperation local => local.Local,
            _ => null,
        };

        if (symbol is null || !DeclaredIn(symbol, model.SyntaxTree))
        {
            return false;
        }

        return _knownBySymbol.GetOrAdd(symbol, known => EveryWriteIsAsynchronousCreation(known, model));
    }

    private bool IsDerivedCompletionSource(INamedTypeSymbol type) =>
        _symbols.IsTaskCompletionSource(type)
        && !LockSymbols.Is(type, _symbols.TaskCompletionSource)
        && !LockSymbols.Is(type, _symbols.GenericTaskCompletionSource);

    private bool EveryWriteIsAsynchronousCreation(ISymbol symbol, SemanticModel model)
    {
        var scope = ScopeOf(symbol);
        if (scope is null)
        {
            return false;
        }

        var writes = 0;
        foreach (var node in scope.DescendantNodes())
        {
            bool? asynchronous = node switch
            {
                VariableDeclaratorSyntax { Initializer: { } initializer } declarator
                    when SymbolEqualityComparer.Default.Equals(model.GetDeclaredSymbol(declarator)?.OriginalDefinition, symbol)
                    => model.GetOperation(initializer.Value) is { } value && IsAsynchronousCreation(value, model, 0),
                AssignmentExpressionSyntax assignment when model.GetOperation(assignment) is { } operation => WriteOf(operation, symbol, model),
                ArgumentSyntax { RefKindKeyword.RawKind: not 0 } argument when model.GetOperation(argument) is IArgumentOperation operation
                    => RefWriteOf(operation, symbol, model),
                _ => null,
            };

            if (asynchronous == false)
            {
                return false;
            }

            if (asynchronous == true)
            {
                writes++;
            }
        }

        return writes > 0;
    }

    /// <summary><see langword="null"/> when <paramref name="assignment"/> does not write <paramref name="symbol"/>.</summary>
    private bool? WriteOf(IOperation assignment, ISymbol symbol, SemanticModel model)
    {
        switch (assignment)
        {
            case ISimpleAssignmentOperation simple when Refers(simple.Target, symbol):
                return IsAsynchronousCreation(simple.Value, model, 0);
            case ICoalesceAssignmentOperation coalesce when Refers(coalesce.Target, symbol):
                return IsAsynchronousCreation(coalesce.Value, model, 0);
            case IAssignmentOperation other when Refers(other.Target, symbol):
                return false;
            case IDeconstructionAssignmentOperation deconstruction:
                foreach (var target in deconstruction.Target.DescendantsAndSelf())
                {
                    if (Refers(target, symbol))
                    {
                        return false;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>A <c>ref</c> or <c>out</c> argument writes the symbol; <c>Interlocked.Exchange</c> of an asynchronous creation is known.</summary>
    private bool? RefWriteOf(IArgumentOperation argument, ISymbol symbol, SemanticModel model)
    {
        if (!Refers(argument.Value, symbol))
        {
            return null;
        }

        if (argument.Parent is IInvocationOperation { TargetMethod.Name: "Exchange" or "CompareExchange" } exchange
            && LockSymbols.Is(exchange.TargetMethod.ContainingType, _symbols.Interlocked))
        {
            foreach (var other in exchange.Arguments)
            {
                if (other.Parameter?.Name == "value")
                {
                    return IsAsynchronousCreation(other.Value, model, 0);
                }
            }
        }

        return false;
    }

    private bool IsAsynchronousCreation(IOperation value, SemanticModel model, int depth)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        if (value is not IObjectCreationOperation { Type: INamedTypeSymbol type } creation || !_symbols.IsTaskCompletionSource(type))
        {
            return false;
        }

        return IsDerivedCompletionSource(type)
            ? AllConstructorsPassFlag(type, model, depth)
            : PassesFlag(creation.Arguments);
    }

    private bool AllConstructorsPassFlag(INamedTypeSymbol type, SemanticModel model, int depth)
    {
        var constructors = type.OriginalDefinition.InstanceConstructors;
        foreach (var constructor in constructors)
        {
            if (!ConstructorPassesFlag(constructor, model, depth + 1))
            {
                return false;
            }
        }

        return constructors.Length > 0;
    }

    private bool ConstructorPassesFlag(IMethodSymbol constructor, SemanticModel model, int depth)
    {
        if (depth > MaxConstructorChain || constructor.IsImplicitlyDeclared || constructor.DeclaringSyntaxReferences.Length != 1)
        {
            return false;
        }

        var syntax = constructor.DeclaringSyntaxReferences[0].GetSyntax();
        if (syntax.SyntaxTree != model.SyntaxTree)
        {
            return false;
        }

        IOperation? initializer = syntax switch
        {
            ConstructorDeclarationSyntax declaration => (model.GetOperation(declaration) as IConstructorBodyOperation)?.Initializer,
            TypeDeclarationSyntax { BaseList: { } baseList } => PrimaryConstructorBaseCall(baseList, model),
            _ => null,
        };

        if (initializer is null)
        {
            return false;
        }

        foreach (var operation in initializer.DescendantsAndSelf())
        {
            if (operation is IInvocationOperation { TargetMethod.MethodKind: MethodKind.Constructor } call)
            {
                var target = call.TargetMethod.ContainingType;
                if (SymbolEqualityComparer.Default.Equals(target.OriginalDefinition, constructor.ContainingType.OriginalDefinition))
                {
                    return ConstructorPassesFlag(call.TargetMethod.OriginalDefinition, model, depth + 1);
                }

                return IsDerivedCompletionSource(target)
                    ? ConstructorPassesFlag(call.TargetMethod.OriginalDefinition, model, depth + 1)
                    : PassesFlag(call.Arguments);
            }
        }

        return false;
    }

    private static IOperation? PrimaryConstructorBaseCall(BaseListSyntax baseList, SemanticModel model)
    {
        foreach (var baseType in baseList.Types)
        {
            if (baseType is PrimaryConstructorBaseTypeSyntax primary)
            {
                return model.GetOperation(primary);
            }
        }

        return null;
    }

    private bool PassesFlag(ImmutableArray<IArgumentOperation> arguments)
    {
        foreach (var argument in arguments)
        {
            if (LockSymbols.Is(argument.Parameter?.Type, _symbols.TaskCreationOptions)
                && argument.Value.ConstantValue is { HasValue: true, Value: { } options }
                && (Convert.ToInt64(options, CultureInfo.InvariantCulture) & RunContinuationsAsynchronously) != 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Refers(IOperation operation, ISymbol symbol) => operation switch
    {
        IFieldReferenceOperation field => SymbolEqualityComparer.Default.Equals(field.Field.OriginalDefinition, symbol),
        ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, symbol),
        _ => false,
    };

    private static bool DeclaredIn(ISymbol symbol, SyntaxTree tree)
    {
        var owner = symbol is IFieldSymbol field ? field.ContainingType : symbol;
        foreach (var reference in owner.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree != tree)
            {
                return false;
            }
        }

        return owner.DeclaringSyntaxReferences.Length > 0;
    }

    /// <summary>Where <paramref name="symbol"/> can be written: a field's type declaration, a local's member.</summary>
    private static SyntaxNode? ScopeOf(ISymbol symbol)
    {
        if (symbol is IFieldSymbol field)
        {
            return field.ContainingType.DeclaringSyntaxReferences.Length == 1
                ? field.ContainingType.DeclaringSyntaxReferences[0].GetSyntax()
                : null;
        }

        if (symbol.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        SyntaxNode? scope = symbol.DeclaringSyntaxReferences[0].GetSyntax();
        while (scope is not null and not MemberDeclarationSyntax and not CompilationUnitSyntax)
        {
            scope = scope.Parent;
        }

        return scope is GlobalStatementSyntax ? scope.Parent : scope;
    }
}
