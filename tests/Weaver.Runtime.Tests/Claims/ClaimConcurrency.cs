namespace Weaver.Runtime.Tests.Claims;

/// <summary>The multi-threaded claim tests run alone, so that they neither slow nor are slowed by the rest.</summary>
[CollectionDefinition(nameof(ClaimConcurrency), DisableParallelization = true)]
public sealed class ClaimConcurrency;
