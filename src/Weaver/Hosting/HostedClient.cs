using System.Runtime.CompilerServices;

namespace Weaver;

/// <summary>
/// The <see cref="IWeaverClient"/> service of a Weaver host: resolved at once, it waits in each call for the host's store
/// to be open (opening it if the host has not started yet), then passes the call on to the host's job client.
/// </summary>
internal sealed class HostedClient(WeaverRuntime runtime) : IWeaverClient
{
    /// <inheritdoc/>
    public async Task<JobId> SubmitJobAsync(JobSpec spec, CancellationToken cancellationToken = default) =>
        await (await ClientAsync(cancellationToken).ConfigureAwait(false)).SubmitJobAsync(spec, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task<JobStatus> GetStatusAsync(JobId id, CancellationToken cancellationToken = default) =>
        await (await ClientAsync(cancellationToken).ConfigureAwait(false)).GetStatusAsync(id, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task<CancelAck> CancelJobAsync(JobId id, CancellationToken cancellationToken = default) =>
        await (await ClientAsync(cancellationToken).ConfigureAwait(false)).CancelJobAsync(id, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task<JobResult> GetResultAsync(JobId id, CancellationToken cancellationToken = default) =>
        await (await ClientAsync(cancellationToken).ConfigureAwait(false)).GetResultAsync(id, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task<JobExplanation> ExplainAsync(JobId id, CancellationToken cancellationToken = default) =>
        await (await ClientAsync(cancellationToken).ConfigureAwait(false)).ExplainAsync(id, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task AnnotateAsync(JobId id, string key, string value, CancellationToken cancellationToken = default) =>
        await (await ClientAsync(cancellationToken).ConfigureAwait(false)).AnnotateAsync(id, key, value, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task<JobResult> WaitForJobAsync(JobId id, CancellationToken cancellationToken = default) =>
        await (await ClientAsync(cancellationToken).ConfigureAwait(false)).WaitForJobAsync(id, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async IAsyncEnumerable<JobEvent> WatchAsync(JobId id, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var jobEvent in client.WatchAsync(id, cancellationToken).ConfigureAwait(false))
        {
            yield return jobEvent;
        }
    }

    private Task<IWeaverClient> ClientAsync(CancellationToken cancellationToken) => runtime.GetClientAsync(cancellationToken);
}
