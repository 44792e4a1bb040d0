using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Weaver;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Weaver to an application's services: its store, workers, handlers and job client.</summary>
public static class WeaverServiceCollectionExtensions
{
    /// <summary>
    /// Adds a Weaver host: the store chosen in <paramref name="configure"/> (<see cref="WeaverOptions.UseInMemory"/>,
    /// <c>UseSqlite</c>, <c>UsePostgreSql</c>) opens when the host starts, its workers run the registered handlers
    /// (<c>services.AddWeaverHandlers()</c>) until the host stops, and the application gets <see cref="IWeaverClient"/>
    /// (jobs), <see cref="IWeaverStore"/> (tasks), <see cref="HandlerRegistry"/> and <see cref="WeaverRuntime"/> (the
    /// workers) as services. The options are checked when the host starts; every problem is reported at once.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Chooses the store and sets the options; calls from several <c>AddWeaver</c> add up.</param>
    /// <returns><paramref name="services"/>, to chain calls.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddWeaver(this IServiceCollection services, Action<WeaverOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<WeaverOptions>().Configure(configure).ValidateOnStart();
        if (services.Any(static service => service.ServiceType == typeof(WeaverRuntime)))
        {
            return services; // a later call only adds its configuration
        }

        services.AddSingleton<IValidateOptions<WeaverOptions>>(static provider => new WeaverOptionsValidator(provider));
        services.AddSingleton(static provider => new WeaverRuntime(provider, provider.GetRequiredService<IOptions<WeaverOptions>>()));
        services.TryAddSingleton(static provider => provider.GetRequiredService<WeaverRuntime>().Handlers);
        services.TryAddSingleton<IWeaverStore>(static provider => new HostedStore(provider.GetRequiredService<WeaverRuntime>()));
        services.TryAddSingleton<IWeaverClient>(static provider => new HostedClient(provider.GetRequiredService<WeaverRuntime>()));
        services.AddSingleton<IHostedService>(static provider => new WeaverHostedService(provider.GetRequiredService<WeaverRuntime>()));
        return services;
    }

    /// <summary>
    /// Adds one task handler for a Weaver host to run. The generated <c>services.AddWeaverHandlers()</c> calls this for
    /// every <c>[TaskHandler]</c> class of its assembly; call it for handlers registered by hand
    /// (<see cref="HandlerRegistration.Create"/>). Adding one registration twice adds it once; two registrations with one
    /// name fail the host's start.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="registration">The handler's registration, such as <c>ReviewHandler.Registration</c>.</param>
    /// <returns><paramref name="services"/>, to chain calls.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddWeaverHandler(this IServiceCollection services, HandlerRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(registration);
        return services.AddSingleton(registration);
    }

    /// <summary>
    /// Adds the decider of a task kind to a Weaver host's job client (<see cref="JobCoordinator.AddDecider"/>): each task
    /// of that kind that succeeds is split into the children it returns. Two deciders of one kind fail the host's start.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="kind">The task kind; not empty or white space.</param>
    /// <param name="decider">The decider.</param>
    /// <returns><paramref name="services"/>, to chain calls.</returns>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is empty or white space.</exception>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddWeaverDecider(this IServiceCollection services, string kind, IDecider decider)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(decider);
        return services.AddSingleton(new WeaverDecider(kind, decider));
    }
}
