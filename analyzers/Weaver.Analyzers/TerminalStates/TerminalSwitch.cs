using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Weaver.Analyzers.Infrastructure;

namespace Weaver.Analyzers.TerminalStates;

/// <summary>
/// A <c>switch</c> statement or expression over a machine's state enum, read for which terminal states it names.
/// A terminal state counts as handled only when an arm without a <c>when</c> clause names it as a constant (alone, in
/// <c>case A: case B:</c>, or inside <c>or</c>/<c>and</c> patterns that always match it); <c>default</c>, discards
/// and other catch-all arms do not count.
/// </summary>
internal sealed class TerminalSwitch
{
    private TerminalSwitch(INamedTypeSymbol stateEnum, ImmutableArray<IFieldSymbol> missingTerminalStates, int insertionIndex)
    {
        StateEnum = stateEnum;
        MissingTerminalStates = missingTerminalStates;
        InsertionIndex = insertionIndex;
    }

    /// <summary>The state enum the switch is over (also when the governing expression is a nullable of it).</summary>
    public INamedTypeSymbol StateEnum { get; }

    /// <summary>The terminal states no arm names, in declaration order.</summary>
    public ImmutableArray<IFieldSymbol> MissingTerminalStates { get; }

    /// <summary>
    /// Where new arms (or sections) go: before the first catch-all one, since an arm after it would never match
    /// (a compiler error), or else at the end.
    /// </summary>
    public int InsertionIndex { get; }

    /// <summary>Reads a switch statement or expression; <see langword="null"/> when it is not over a state enum.</summary>
    public static TerminalSwitch? Read(IOperation operation, WeaverSymbols symbols)
    {
        var governingValue = operation switch
        {
            ISwitchOperation statement => statement.Value,
            ISwitchExpressionOperation expression => expression.Value,
            _ => null,
        };

        if (governingValue?.Type is not { } governingType || Underlying(governingType) is not INamedTypeSymbol stateEnum)
        {
            return null;
        }

        var terminalStates = StateEnums.TerminalStates(stateEnum, symbols);
        if (terminalStates.IsEmpty)
        {
            return null;
        }

        var arms = operation is ISwitchOperation switchStatement
            ? switchStatement.Cases.Select(Arm.Of).ToImmutableArray()
            : ((ISwitchExpressionOperation)operation).Arms.Select(Arm.Of).ToImmutableArray();
        var missing = terminalStates.Where(state => !arms.Any(arm => arm.Names(state.ConstantValue))).ToImmutableArray();
        return new TerminalSwitch(stateEnum, missing, InsertionIndexOf(arms, stateEnum));
    }

    private static int InsertionIndexOf(ImmutableArray<Arm> arms, INamedTypeSymbol stateEnum)
    {
        for (var index = 0; index < arms.Length; index++)
        {
            if (arms[index].MatchesEveryState(stateEnum))
            {
                return index;
            }
        }

        return arms.Length;
    }

    /// <summary>The enum inside <c>Nullable&lt;T&gt;</c>, or the type itself.</summary>
    private static ITypeSymbol Underlying(ITypeSymbol type) =>
        type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            ? nullable.TypeArguments[0]
            : type;

    /// <summary>One switch section (its labels) or one switch-expression arm.</summary>
    private readonly struct Arm
    {
        private readonly ImmutableArray<IOperation> _unguardedLabels;

        private Arm(ImmutableArray<IOperation> unguardedLabels) => _unguardedLabels = unguardedLabels;

        public static Arm Of(ISwitchCaseOperation section) =>
            new(section.Clauses
                .Where(clause => clause is not IPatternCaseClauseOperation { Guard: not null })
                .Select(clause => clause switch
                {
                    ISingleValueCaseClauseOperation single => single.Value,
                    IPatternCaseClauseOperation pattern => pattern.Pattern,
                    _ => (IOperation)clause,
                })
                .ToImmutableArray());

        public static Arm Of(ISwitchExpressionArmOperation arm) =>
            new(arm.Guard is null ? ImmutableArray.Create<IOperation>(arm.Pattern) : ImmutableArray<IOperation>.Empty);

        public bool Names(object? stateValue) => _unguardedLabels.Any(label => Names(label, stateValue));

        public bool MatchesEveryState(INamedTypeSymbol stateEnum) =>
            _unguardedLabels.Any(label => MatchesEveryState(label, stateEnum));

        private static bool Names(IOperation label, object? stateValue) => label switch
        {
            IConstantPatternOperation constant => Names(constant.Value, stateValue),
            IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } either =>
                Names(either.LeftPattern, stateValue) || Names(either.RightPattern, stateValue),
            IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.And } both =>
                Names(both.LeftPattern, stateValue) && Names(both.RightPattern, stateValue),
            IPatternOperation => false,
            _ => ConstantOf(label) is { HasValue: true } constantValue && Equals(constantValue.Value, stateValue),
        };

        private static bool MatchesEveryState(IOperation label, INamedTypeSymbol stateEnum) => label switch
        {
            IDefaultCaseClauseOperation or IDiscardPatternOperation => true,
            IDeclarationPatternOperation { MatchesNull: true } => true,
            IDeclarationPatternOperation declaration => IsStateEnum(declaration.MatchedType, stateEnum),
            ITypePatternOperation type => IsStateEnum(type.MatchedType, stateEnum),
            IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } either =>
                MatchesEveryState(either.LeftPattern, stateEnum) || MatchesEveryState(either.RightPattern, stateEnum),
            _ => false,
        };

        private static bool IsStateEnum(ITypeSymbol? type, INamedTypeSymbol stateEnum) =>
            type is not null && SymbolEqualityComparer.Default.Equals(Underlying(type), stateEnum);

        /// <summary>
        /// The constant a label stands for. Over a nullable enum the label is a conversion to <c>State?</c>, which
        /// is not itself a constant, so conversions are looked through.
        /// </summary>
        private static Optional<object?> ConstantOf(IOperation value)
        {
            while (!value.ConstantValue.HasValue && value is IConversionOperation conversion)
            {
                value = conversion.Operand;
            }

            return value.ConstantValue;
        }
    }
}
