namespace Weaver.Stores.Tests.Conformance;

/// <summary>Retry policies the suite uses, all without jitter unless named so, so due times are exact.</summary>
public static class Policies
{
    /// <summary>Three attempts; retries wait 2 s, then 6 s.</summary>
    public static RetryPolicy ThreeTries { get; } = new()
    {
        MaxAttempts = 3, InitialDelay = TimeSpan.FromSeconds(2), Multiplier = 3, MaxDelay = TimeSpan.FromMinutes(1), Jitter = 0,
    };

    /// <summary>One attempt: no retries.</summary>
    public static RetryPolicy OneTry { get; } = new() { MaxAttempts = 1, InitialDelay = TimeSpan.FromSeconds(1), Jitter = 0 };

    /// <summary>Two attempts; the retry waits 1 s.</summary>
    public static RetryPolicy TwoTries { get; } = new() { MaxAttempts = 2, InitialDelay = TimeSpan.FromSeconds(1), Jitter = 0 };

    /// <summary>Four attempts with jitter of up to half the base wait: the due time depends on the store's jitter source.</summary>
    public static RetryPolicy Jittery { get; } = new()
    {
        MaxAttempts = 4, InitialDelay = TimeSpan.FromSeconds(4), Multiplier = 2, MaxDelay = TimeSpan.FromMinutes(1), Jitter = 0.5,
    };
}
