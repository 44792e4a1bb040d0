using Microsoft.Extensions.Logging;

namespace Weaver;

/// <summary>What a <see cref="WeaverStoreProvider"/> gets from the host to check and open its store.</summary>
/// <param name="Options">The host's options: lease timing (<see cref="WeaverOptions.Leases"/>), default retry, JSON.</param>
/// <param name="Handlers">The handlers of every registered kind, bound to the host's services.</param>
/// <param name="TimeProvider">The host's clock: the <see cref="System.TimeProvider"/> service, or the system clock.</param>
/// <param name="LoggerFactory">The host's loggers, or a factory that logs nothing.</param>
public sealed record WeaverStoreContext(WeaverOptions Options, HandlerRegistry Handlers, TimeProvider TimeProvider, ILoggerFactory LoggerFactory)
{
    /// <summary>
    /// The problem with a store's own lease timing, when a provider's <c>configure</c> changed it away from
    /// <see cref="WeaverOptions.Leases"/>: the host's workers, clients and store must agree on one timing.
    /// </summary>
    /// <param name="configured">The lease timing the store would use.</param>
    /// <param name="method">The method that chose the store, such as <c>UseSqlite</c>, for the message.</param>
    /// <returns>The problem, or null when there is none.</returns>
    public string? LeasesProblem(LeaseOptions? configured, string method) =>
        Equals(configured, Options.Leases)
            ? null
            : $"{method}'s configure changed the store's lease timing ({configured?.ToString() ?? "null"}); a Weaver host sets it once, for "
              + $"the store and its workers, with WeaverOptions.Leases (now {Options.Leases}): set o.Leases instead.";
}
