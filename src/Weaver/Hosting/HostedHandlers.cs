using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Weaver;

/// <summary>What a Weaver host takes from the application's services: its handlers, its clock and its loggers.</summary>
internal static class HostedHandlers
{
    /// <summary>
    /// Every <see cref="HandlerRegistration"/> service (<c>AddWeaverHandlers</c>, <c>AddWeaverHandler</c>), bound to
    /// <paramref name="services"/>, in the order registered. One registration registered twice (say, by two calls to
    /// <c>AddWeaverHandlers</c>) counts once.
    /// </summary>
    /// <exception cref="ArgumentException">Two registrations share a name (the message names both handlers).</exception>
    public static HandlerRegistry Build(IServiceProvider services)
    {
        var registry = new HandlerRegistry();
        var seen = new HashSet<HandlerRegistration>(ReferenceEqualityComparer.Instance);
        foreach (var registration in services.GetServices<HandlerRegistration>())
        {
            if (seen.Add(registration))
            {
                registry.Add(registration.WithServices(services));
            }
        }

        return registry;
    }

    /// <summary>The handlers of <paramref name="kinds"/> (all of them when empty), for the workers to claim.</summary>
    /// <exception cref="KeyNotFoundException">A kind has no handler.</exception>
    public static HandlerRegistry Select(HandlerRegistry all, IEnumerable<string> kinds)
    {
        var chosen = kinds.Distinct(StringComparer.Ordinal).ToList();
        if (chosen.Count == 0)
        {
            return all;
        }

        var registry = new HandlerRegistry();
        foreach (var kind in chosen)
        {
            registry.Add(all.Get(kind));
        }

        return registry;
    }

    /// <summary>The context a store provider checks and opens its store with.</summary>
    public static WeaverStoreContext Context(IServiceProvider services, WeaverOptions options, HandlerRegistry handlers) =>
        new(options, handlers, services.GetService<TimeProvider>() ?? TimeProvider.System, Loggers(services));

    /// <summary>The application's loggers, or a factory that logs nothing.</summary>
    public static ILoggerFactory Loggers(IServiceProvider services) => services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
}
