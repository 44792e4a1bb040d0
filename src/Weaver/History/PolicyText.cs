using System.Globalization;

namespace Weaver;

/// <summary>The rules the runtime decides by, as the <see cref="Decision.Policy"/> of the decisions they make.</summary>
internal static class PolicyText
{
    public static string Retry(RetryPolicy policy) => string.Create(
        CultureInfo.InvariantCulture,
        $"Retry policy: at most {policy.MaxAttempts} attempt(s); waits start at {policy.InitialDelay}, grow x{policy.Multiplier} up to {policy.MaxDelay}, plus up to {policy.Jitter * 100:0.##}% jitter.");

    public static string Lease(LeaseOptions options) => string.Create(
        CultureInfo.InvariantCulture,
        $"Lease rule: a lease is stale once its last heartbeat is more than LeaseDuration + StaleAfterMissedHeartbeats x HeartbeatInterval old ({options.LeaseDuration} + {options.StaleAfterMissedHeartbeats} x {options.HeartbeatInterval} = {options.StaleAfter}); a stale task is taken back and its worker's writes are rejected.");

    public const string ResourceLocks =
        "Resource locks: a task holds all of its resources or none, so it waits, without holding any, until each conflicting one is freed or its holder goes stale.";

    public const string Dependencies = "DAG rule: a task runs only once every task it depends on has succeeded.";

    public const string JobEnd =
        "Stuck detection: a job ends as soon as none of its tasks can run anymore; it succeeds only if every task succeeded.";

    public const string Cancel = "Cancel: a cancelled job's queued, running and retrying tasks are cancelled, and its pending tasks never run.";

    public const string Saga =
        "Saga: when a step fails or the saga is cancelled, the compensations of the steps that succeeded run one at a time, the last step's first; a compensation that fails quarantines the saga.";

    public static string Decider(string kind) => $"Decomposition: the decider of kind '{kind}' splits a succeeded task into child tasks; the parent succeeds once all of them have.";
}
