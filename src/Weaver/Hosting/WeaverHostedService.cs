using Microsoft.Extensions.Hosting;

namespace Weaver;

/// <summary>Starts a Weaver host's runtime with the application and stops its workers when the application stops.</summary>
internal sealed class WeaverHostedService(WeaverRuntime runtime) : IHostedService
{
    /// <summary>Opens the store (if no caller did already) and starts the workers.</summary>
    /// <param name="cancellationToken">The host's start is abandoned.</param>
    /// <returns>A task that completes once the workers run.</returns>
    public Task StartAsync(CancellationToken cancellationToken) => runtime.StartAsync(cancellationToken);

    /// <summary>Stops the workers: running attempts get their grace, then are cancelled and handed back.</summary>
    /// <param name="cancellationToken">Cancelled when the host's shutdown timeout is over: the grace ends then.</param>
    /// <returns>A task that completes once every worker stopped.</returns>
    public Task StopAsync(CancellationToken cancellationToken) => runtime.StopAsync(cancellationToken);
}
