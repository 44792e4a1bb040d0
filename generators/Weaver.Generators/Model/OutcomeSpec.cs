namespace Weaver.Generators.Model;

/// <summary>The outcome methods a handler runs for one terminal state of <c>TaskLifecycle.State</c>.</summary>
/// <param name="State">The state's member name (<c>Dead</c>).</param>
/// <param name="Calls">The methods, in declaration order.</param>
internal sealed record OutcomeSpec(string State, EquatableArray<OutcomeCallSpec> Calls);

/// <summary>One call of an <c>[OnOutcome]</c> method.</summary>
/// <param name="Method">The method's name, escaped where it is a keyword.</param>
/// <param name="TakesCancellationToken">It takes a <c>CancellationToken</c> after the <c>TaskSnapshot</c>.</param>
/// <param name="IsAwaited">It returns <c>Task</c> or <c>ValueTask</c>, so the call is awaited.</param>
internal sealed record OutcomeCallSpec(string Method, bool TakesCancellationToken, bool IsAwaited);
