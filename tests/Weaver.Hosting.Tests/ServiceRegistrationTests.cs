using Microsoft.Extensions.Time.Testing;

namespace Weaver.Hosting.Tests;

/// <summary>What the generated <c>AddWeaverHandlers</c> and the runtime's handler binding put into an application's services.</summary>
public sealed class ServiceRegistrationTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public void AddWeaverHandlers_registers_every_handler_of_the_assembly()
    {
        var services = new ServiceCollection().AddWeaverHandlers();
        using var provider = services.BuildServiceProvider();

        var registered = provider.GetServices<HandlerRegistration>().ToList();

        Assert.Equal(["gated", "scoped", "shout"], registered.Select(r => r.Name));
        Assert.Same(ShoutHandler.Registration, registered.Single(r => r.Name == "shout"));
        Assert.True(registered.Single(r => r.Name == "scoped").NeedsServices);

        // A registry alone cannot run the handler that takes services, so RegisterAll leaves it to AddWeaverHandlers.
        Assert.Equal(["gated", "shout"], WeaverHandlers.RegisterAll(new HandlerRegistry()).Names);
    }

    [Fact]
    public async Task Handlers_added_twice_run_once_under_their_name()
    {
        using var host = TestHosts.Build(o => o.UseInMemory(), services: s => s.AddWeaverHandlers().AddWeaverHandler(ShoutHandler.Registration));

        await host.StartAsync();

        Assert.Equal(["gated", "scoped", "shout"], host.Services.GetRequiredService<HandlerRegistry>().Names.Order(StringComparer.Ordinal));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_handler_that_takes_services_gets_a_new_scope_per_attempt_disposed_after_it()
    {
        var scopes = new ScopeLog();
        using var host = TestHosts.Build(o => o.UseInMemory(), new FakeTimeProvider(), s => s.AddSingleton(scopes).AddScoped<ScopedResource>());
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IWeaverClient>();

        var first = await client.WaitForJobAsync(await client.SubmitJobAsync(TestHosts.Job("scoped", "a"))).WaitAsync(Guard);
        var second = await client.WaitForJobAsync(await client.SubmitJobAsync(TestHosts.Job("scoped", "b"))).WaitAsync(Guard);

        Assert.Equal("a in scope 1", first.Results["only"]);
        Assert.Equal("b in scope 2", second.Results["only"]);
        Assert.Equal([1, 2], scopes.Disposed);
        await host.StopAsync();
    }

    [Fact]
    public void A_handler_that_takes_services_runs_only_once_bound_to_a_provider()
    {
        var registration = ScopedHandler.Registration;

        Assert.True(registration.NeedsServices);
        var error = Assert.Throws<ArgumentException>(() => new HandlerRegistry().Add(registration));
        Assert.StartsWith(
            "Task handler 'scoped' (Weaver.Hosting.Tests.ScopedHandler) takes services in its constructor, so it runs only once bound to a service provider: add it with services.AddWeaverHandlers()",
            error.Message,
            StringComparison.Ordinal);

        using var provider = new ServiceCollection().BuildServiceProvider();
        var bound = registration.WithServices(provider);
        Assert.False(bound.NeedsServices);
        Assert.Equal(1, new HandlerRegistry().Add(bound).Count);
        Assert.Same(ShoutHandler.Registration, ShoutHandler.Registration.WithServices(provider));
    }
}
