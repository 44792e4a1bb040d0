using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Weaver.Analyzers.Locks;

/// <summary>
/// The values a control-flow graph captures (the object of a <c>lock</c> statement, a <c>using</c> resource, a
/// receiver), so a lock expression can be followed back to the field or local the source names.
/// </summary>
internal sealed class FlowCaptures
{
    private readonly Dictionary<CaptureId, IOperation?> _captured = new();

    public FlowCaptures(ControlFlowGraph graph)
    {
        foreach (var block in graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                Collect(operation);
            }

            if (block.BranchValue is { } branchValue)
            {
                Collect(branchValue);
            }
        }
    }

    /// <summary>
    /// The expression behind <paramref name="operation"/>, through conversions, parentheses and captures that hold
    /// one value only; a capture assigned on several paths (<c>a ?? b</c>) is left as it is.
    /// </summary>
    public IOperation Unwrap(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                case IFlowCaptureReferenceOperation reference when _captured.TryGetValue(reference.Id, out var value) && value is not null:
                    operation = value;
                    break;
                default:
                    return operation;
            }
        }
    }

    /// <summary>How a lock object is identified: its symbol, else the capture, else its expression.</summary>
    public LockHandle HandleOf(IOperation lockObject)
    {
        var unwrapped = Unwrap(lockObject);
        return unwrapped switch
        {
            ILocalReferenceOperation local => LockHandle.ForSymbol(local.Local),
            IParameterReferenceOperation parameter => LockHandle.ForSymbol(parameter.Parameter),
            IFieldReferenceOperation field => LockHandle.ForSymbol(field.Field),
            IPropertyReferenceOperation { Arguments.Length: 0 } property => LockHandle.ForSymbol(property.Property),
            IFlowCaptureReferenceOperation capture => LockHandle.ForCapture(capture.Id),
            _ => LockHandle.ForExpression(unwrapped.Syntax),
        };
    }

    /// <summary>
    /// The handles a disposed or null-tested value may hold a scope under: the capture it is read through, and the
    /// local behind it.
    /// </summary>
    public IEnumerable<LockHandle> HolderHandlesOf(IOperation value)
    {
        var current = value;
        while (current is IConversionOperation or IParenthesizedOperation)
        {
            current = current is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)current).Operand;
        }

        if (current is IFlowCaptureReferenceOperation capture)
        {
            yield return LockHandle.ForCapture(capture.Id);
        }

        if (Unwrap(current) is ILocalReferenceOperation local)
        {
            yield return LockHandle.ForSymbol(local.Local);
        }
    }

    /// <summary>The holder a scope value is stored in where it is created: a local or a capture; none when discarded.</summary>
    public static LockHandle HolderOf(IOperation scopeValue)
    {
        var current = scopeValue;
        while (current.Parent is IConversionOperation or IParenthesizedOperation)
        {
            current = current.Parent;
        }

        return current.Parent switch
        {
            IFlowCaptureOperation capture => LockHandle.ForCapture(capture.Id),
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment when assignment.Value == current
                => LockHandle.ForSymbol(local.Local),
            _ => LockHandle.None,
        };
    }

    private void Collect(IOperation root)
    {
        foreach (var operation in root.DescendantsAndSelf())
        {
            if (operation is IFlowCaptureOperation capture)
            {
                // A second definition (a conditional value) makes the capture ambiguous: keep it unresolved.
                _captured[capture.Id] = _captured.ContainsKey(capture.Id) ? null : capture.Value;
            }
        }
    }
}
