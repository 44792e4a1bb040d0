using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Weaver.Analyzers.Locks;

/// <summary>
/// Computes which locks may be held before each operation of one control-flow graph (a method body, a lambda or a
/// local function; each starts with nothing held): a forward dataflow over the basic blocks, whose state is the set
/// of held locks, joined by union so a lock held on some path counts.
/// </summary>
/// <remarks>
/// <para>A <c>TryEnter</c>-style call that is a branch condition holds the lock on the edge where it returned
/// <see langword="true"/> only; a <c>bool</c> local that says whether a lock was taken (<c>ref lockTaken</c>, or the
/// call's result stored in it) drops the lock on the edge where it is tested <see langword="false"/>.</para>
/// <para>A <c>finally</c> runs on each branch that leaves its <c>try</c>, with that branch's state (one run per
/// distinct state), so a lock released there is released on every path out. An exception may leave a block at any
/// point: every state seen in a block flows to the catch handlers around it, through the <c>finally</c> regions in
/// between.</para>
/// </remarks>
internal sealed class HeldLockDataflow
{
    private readonly ControlFlowGraph _graph;
    private readonly LockCalls _calls;
    private readonly FlowCaptures _captures;
    private readonly LockState?[] _entryStates;
    private readonly Dictionary<(int FinallyStart, LockState Entry), LockState> _finallyExits = new();
    private readonly List<RegionRun> _activeRuns = new();

    private HeldLockDataflow(ControlFlowGraph graph, LockCalls calls, FlowCaptures captures)
    {
        _graph = graph;
        _calls = calls;
        _captures = captures;
        _entryStates = new LockState?[graph.Blocks.Length];
    }

    public static HeldLockDataflow Run(ControlFlowGraph graph, LockCalls calls, FlowCaptures captures)
    {
        var dataflow = new HeldLockDataflow(graph, calls, captures);
        dataflow.RunRegion(graph.Root, LockState.Empty);
        return dataflow;
    }

    /// <summary>
    /// Calls <paramref name="visit"/> for each operation in evaluation order (operands before the operation), with the
    /// locks that may be held when it runs. A block inside a <c>finally</c> is visited once, with every state it can
    /// be entered with.
    /// </summary>
    public void VisitOperations(Action<IOperation, LockState> visit)
    {
        foreach (var block in _graph.Blocks)
        {
            if (_entryStates[block.Ordinal] is { } entry)
            {
                TransferBlock(block, entry, visit, out _);
            }
        }
    }

    /// <summary>Runs the blocks of <paramref name="region"/> from its first; returns the state it falls out of its end with.</summary>
    private LockState RunRegion(ControlFlowRegion region, LockState entry)
    {
        var run = new RegionRun(region);
        _activeRuns.Add(run);
        run.Merge(region.FirstBlockOrdinal, entry);
        var exit = LockState.Empty;
        while (run.TryTake(out var ordinal, out var state))
        {
            var block = _graph.Blocks[ordinal];
            _entryStates[ordinal] = _entryStates[ordinal]?.Union(state) ?? state;
            var output = TransferBlock(block, state, visit: null, out var seen);
            PropagateException(block.EnclosingRegion, seen);
            foreach (var (branch, branchState) in Successors(block, output))
            {
                var arrived = branchState;
                foreach (var finallyRegion in branch.FinallyRegions)
                {
                    arrived = RunFinally(finallyRegion, arrived);
                }

                if (branch.Destination is { } destination)
                {
                    MergeInto(destination.Ordinal, arrived);
                }
                else if (branch.Semantics == ControlFlowBranchSemantics.StructuredExceptionHandling)
                {
                    exit = exit.Union(arrived);
                }
            }
        }

        _activeRuns.RemoveAt(_activeRuns.Count - 1);
        return exit;
    }

    private LockState RunFinally(ControlFlowRegion finallyRegion, LockState entry)
    {
        var key = (finallyRegion.FirstBlockOrdinal, entry);
        if (!_finallyExits.TryGetValue(key, out var exit))
        {
            exit = RunRegion(finallyRegion, entry);
            _finallyExits[key] = exit;
        }

        return exit;
    }

    /// <summary>An exception thrown with <paramref name="state"/> reaches every enclosing handler, after the finally regions between.</summary>
    private void PropagateException(ControlFlowRegion region, LockState state)
    {
        // A lambda's graph hangs under a region of its enclosing graph: its exceptions leave it at its own root.
        for (var current = region; current != _graph.Root && current.EnclosingRegion is { } parent; current = parent)
        {
            if (current.Kind != ControlFlowRegionKind.Try)
            {
                continue;
            }

            if (parent.Kind == ControlFlowRegionKind.TryAndCatch)
            {
                for (var handler = 1; handler < parent.NestedRegions.Length; handler++)
                {
                    MergeInto(parent.NestedRegions[handler].FirstBlockOrdinal, state);
                }
            }
            else if (parent.Kind == ControlFlowRegionKind.TryAndFinally)
            {
                state = RunFinally(parent.NestedRegions[1], state);
            }
        }
    }

    private void MergeInto(int ordinal, LockState state)
    {
        for (var i = _activeRuns.Count - 1; i >= 0; i--)
        {
            if (_activeRuns[i].Contains(ordinal))
            {
                _activeRuns[i].Merge(ordinal, state);
                return;
            }
        }
    }

    private IEnumerable<(ControlFlowBranch Branch, LockState State)> Successors(BasicBlock block, LockState output)
    {
        if (block.ConditionKind == ControlFlowConditionKind.None || block.BranchValue is null)
        {
            if (block.FallThroughSuccessor is { } next)
            {
                yield return (next, output);
            }

            yield break;
        }

        var conditionalValue = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
        if (block.ConditionalSuccessor is { } conditional)
        {
            yield return (conditional, OnEdge(block.BranchValue, output, conditionalValue));
        }

        if (block.FallThroughSuccessor is { } fallThrough)
        {
            yield return (fallThrough, OnEdge(block.BranchValue, output, !conditionalValue));
        }
    }

    /// <summary>The state on the edge where <paramref name="condition"/> evaluated to <paramref name="value"/>.</summary>
    private LockState OnEdge(IOperation condition, LockState state, bool value)
    {
        var core = ConditionCore(condition, ref value);
        switch (core)
        {
            case ILocalReferenceOperation flag:
                return value ? state.ForgetFlag(flag.Local) : state.WhenFlagFalse(flag.Local);
            case IIsNullOperation isNull when value:
                foreach (var holder in _captures.HolderHandlesOf(isNull.Operand))
                {
                    state = state.ReleaseScopesHeldBy(holder);
                }

                return state;
            default:
                return value && IsTryAcquisition(core, out var acquisition) ? state.Add(Hold(core, acquisition, takenFlag: null)) : state;
        }
    }

    /// <summary>The operation a branch tests, through <c>!</c> (flipping <paramref name="value"/>) and conversions.</summary>
    private static IOperation ConditionCore(IOperation condition, ref bool value)
    {
        while (true)
        {
            switch (condition)
            {
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                    value = !value;
                    condition = not.Operand;
                    break;
                case IConversionOperation conversion:
                    condition = conversion.Operand;
                    break;
                default:
                    return condition;
            }
        }
    }

    private LockState TransferBlock(BasicBlock block, LockState entry, Action<IOperation, LockState>? visit, out LockState seen)
    {
        var state = entry;
        seen = LockState.Empty;
        foreach (var operation in block.Operations)
        {
            state = Transfer(operation, state, visit, branchCondition: null, ref seen);
        }

        if (block.BranchValue is { } branchValue)
        {
            var value = true;
            var condition = block.ConditionKind == ControlFlowConditionKind.None ? null : ConditionCore(branchValue, ref value);
            state = Transfer(branchValue, state, visit, condition, ref seen);
        }

        if (block.FallThroughSuccessor?.Semantics is ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow)
        {
            seen = seen.Union(state);
        }

        return state;
    }

    private LockState Transfer(IOperation operation, LockState state, Action<IOperation, LockState>? visit, IOperation? branchCondition, ref LockState seen)
    {
        foreach (var child in operation.ChildOperations)
        {
            state = Transfer(child, state, visit, branchCondition, ref seen);
        }

        visit?.Invoke(operation, state);
        if (MayThrow(operation))
        {
            seen = seen.Union(state);
        }

        return Apply(operation, state, branchCondition);
    }

    /// <summary>The effect of <paramref name="operation"/> itself, its operands already applied.</summary>
    private LockState Apply(IOperation operation, LockState state, IOperation? branchCondition)
    {
        if (_calls.TryGetAcquisition(operation, out var acquisition))
        {
            // A branch's own TryEnter holds the lock on its true edge only (see OnEdge).
            return acquisition.ReturnsSuccess && operation == branchCondition
                ? state
                : state.Add(Hold(operation, acquisition, TakenFlagOf(operation, acquisition)));
        }

        switch (operation)
        {
            case IInvocationOperation invocation when _calls.TryGetRelease(invocation, out var kind, out var lockObject):
                return state.Release(kind, _captures.HandleOf(lockObject));
            case IInvocationOperation invocation when LockCalls.IsDispose(invocation, out var receiver):
                foreach (var holder in _captures.HolderHandlesOf(receiver))
                {
                    state = state.ReleaseScopesHeldBy(holder);
                }

                return state;
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation flag } assignment
                when !IsTryAcquisition(Unconverted(assignment.Value), out _):
                // The local no longer says whether the locks it stood for were taken; they stay held on this path.
                return state.ForgetFlag(flag.Local);
            default:
                return state;
        }
    }

    /// <summary>
    /// Whether an exception may leave from <paramref name="operation"/>, with the state before it. A lock's own release
    /// (an exit call, a dispose) is left out: one that throws did not hold the lock, and counting it would keep every lock released in a
    /// <c>finally</c> held in the catch handlers around it.
    /// </summary>
    private bool MayThrow(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => !_calls.TryGetRelease(invocation, out _, out _) && !LockCalls.IsDispose(invocation, out _),
        IObjectCreationOperation or IAwaitOperation or IPropertyReferenceOperation or IArrayElementReferenceOperation
            or IDynamicInvocationOperation or IDynamicMemberReferenceOperation or IConversionOperation { IsImplicit: false } => true,
        _ => false,
    };

    private bool IsTryAcquisition(IOperation operation, out LockAcquisition acquisition) =>
        _calls.TryGetAcquisition(operation, out acquisition) && acquisition.ReturnsSuccess;

    /// <summary>The local that says whether the lock was taken: the <c>ref lockTaken</c> argument, or the local the result is stored in.</summary>
    private ILocalSymbol? TakenFlagOf(IOperation operation, LockAcquisition acquisition)
    {
        if (acquisition.TakenFlag is { } flag)
        {
            return _captures.Unwrap(flag) is ILocalReferenceOperation flagLocal ? flagLocal.Local : null;
        }

        if (!acquisition.ReturnsSuccess)
        {
            return null;
        }

        var value = operation;
        while (value.Parent is IConversionOperation or IParenthesizedOperation)
        {
            value = value.Parent;
        }

        return value.Parent is ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment && assignment.Value == value
            ? local.Local
            : null;
    }

    private HeldLock Hold(IOperation operation, LockAcquisition acquisition, ILocalSymbol? takenFlag)
    {
        if (acquisition.IsScope)
        {
            var description = acquisition.LockObject is { } lockObject
                ? Describe(acquisition.Kind, _captures.Unwrap(lockObject).Syntax.ToString())
                : $"the lock scope '{operation.Syntax}'";
            return new HeldLock(acquisition.Kind, FlowCaptures.HolderOf(operation), releasedByDispose: true, description, operation.Syntax, takenFlag);
        }

        var target = acquisition.LockObject!;
        return new HeldLock(
            acquisition.Kind,
            _captures.HandleOf(target),
            releasedByDispose: false,
            Describe(acquisition.Kind, _captures.Unwrap(target).Syntax.ToString()),
            operation.Syntax,
            takenFlag);
    }

    private static string Describe(LockKind kind, string target) => kind switch
    {
        LockKind.Monitor => $"the Monitor lock on '{target}'",
        LockKind.Lock => $"the Lock '{target}'",
        LockKind.SpinLock => $"the SpinLock '{target}'",
        LockKind.ReadLock => $"the read lock of '{target}'",
        LockKind.UpgradeableReadLock => $"the upgradeable read lock of '{target}'",
        LockKind.WriteLock => $"the write lock of '{target}'",
        LockKind.Mutex => $"the Mutex '{target}'",
        LockKind.Semaphore => $"the SemaphoreSlim '{target}'",
        _ => $"the lock scope '{target}'",
    };

    private static IOperation Unconverted(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>The worklist of one region being run: the state each of its blocks is entered with so far.</summary>
    private sealed class RegionRun
    {
        private readonly ControlFlowRegion _region;
        private readonly Dictionary<int, LockState> _entries = new();
        private readonly SortedSet<int> _pending = new();

        public RegionRun(ControlFlowRegion region) => _region = region;

        public bool Contains(int ordinal) => ordinal >= _region.FirstBlockOrdinal && ordinal <= _region.LastBlockOrdinal;

        public void Merge(int ordinal, LockState state)
        {
            // A block is run once even with nothing held, so what follows it is reached; again only when its entry grows.
            if (!_entries.TryGetValue(ordinal, out var entry))
            {
                _entries[ordinal] = state;
                _pending.Add(ordinal);
                return;
            }

            var merged = entry.Union(state);
            if (!merged.Equals(entry))
            {
                _entries[ordinal] = merged;
                _pending.Add(ordinal);
            }
        }

        public bool TryTake(out int ordinal, out LockState state)
        {
            if (_pending.Count == 0)
            {
                ordinal = -1;
                state = LockState.Empty;
                return false;
            }

            ordinal = _pending.Min;
            _pending.Remove(ordinal);
            state = _entries[ordinal];
            return true;
        }
    }
}
