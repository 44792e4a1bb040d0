namespace Weaver.Runtime.Tests.Locks;

/// <summary>The multi-threaded lock tests run alone, so that they neither slow nor are slowed by the rest.</summary>
[CollectionDefinition(nameof(LockConcurrency), DisableParallelization = true)]
public sealed class LockConcurrency;
