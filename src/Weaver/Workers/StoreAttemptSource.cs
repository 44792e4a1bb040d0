using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Weaver;

/// <summary>
/// Attempts from any <see cref="IWeaverStore"/>: a worker claims one task at a time of the kinds it has handlers for,
/// and when there is none it waits for the store's hint (a notification, or its poll interval), at most
/// <see cref="WorkerGroupOptions.IdleWait"/>. Inputs and results cross the store as JSON (<see cref="TaskPayloads"/>).
/// A store that cannot be reached is logged and tried again after the idle wait: an attempt whose commit could not be
/// written is taken back when its lease goes stale, so nothing is lost.
/// </summary>
internal sealed class StoreAttemptSource : IAttemptSource
{
    private readonly IWeaverStore _store;
    private readonly TaskPayloads _payloads;
    private readonly TimeSpan _idleWait;
    private readonly string[] _kinds;
    private readonly ArtifactStore? _artifacts;
    private readonly ILogger _logger;
    private int _sweeping;

    public StoreAttemptSource(IWeaverStore store, HandlerRegistry handlers, WorkerGroupOptions options, ILogger logger)
    {
        _store = store;
        Handlers = handlers;
        TimeProvider = options.TimeProvider ?? TimeProvider.System;
        _payloads = new TaskPayloads(options.Json);
        _idleWait = options.IdleWait;
        _artifacts = options.Artifacts;
        _kinds = [.. handlers.Names.Order(StringComparer.Ordinal)];
        _logger = logger;
        if (_kinds.Length == 0)
        {
            throw new ArgumentException("The handler registry is empty: a worker group on a store claims only the kinds it has handlers for.", nameof(handlers));
        }
    }

    public HandlerRegistry Handlers { get; }

    public TimeProvider TimeProvider { get; }

    public TimeSpan HeartbeatInterval => _store.Leases.HeartbeatInterval;

    // A task's outcome methods run in the process that watches it end; a fleet sharing a store has no such process yet.
    public ChannelReader<TaskSnapshot>? EndedWithOutcomes => null;

    public async ValueTask<ClaimedAttempt?> NextAsync(string owner, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var claimed = await _store.ClaimAsync(owner, 1, _kinds, cancellationToken).ConfigureAwait(false);
                if (claimed.Count > 0)
                {
                    return new Claimed(this, claimed[0]);
                }

                await _store.WaitForWorkAsync(_idleWait, cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return null; // the store was disposed: nothing more to take
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.StoreUnreachable(_logger, error, owner, _idleWait);
                await Task.Delay(_idleWait, TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Sweep()
    {
        if (Interlocked.Exchange(ref _sweeping, 1) == 0)
        {
            _ = SweepAsync();
        }
    }

    private async Task SweepAsync()
    {
        try
        {
            var taken = await _store.SweepAsync().ConfigureAwait(false);
            if (taken > 0)
            {
                Log.Swept(_logger, taken);
            }
        }
        catch (Exception error) when (error is not ObjectDisposedException)
        {
            Log.SweepFailed(_logger, error);
        }
        catch (ObjectDisposedException)
        {
            // The store was disposed while the group stopped.
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    private sealed class Claimed(StoreAttemptSource source, StoredAttempt claimed) : ClaimedAttempt
    {
        private StoredAttempt? _renewed;
        private LeaseKeeper? _keeper;

        public override string TaskId => claimed.TaskId;

        public override string Kind => claimed.Kind;

        public override int Number => claimed.Number;

        public override Lease<string> Lease => claimed.Lease;

        public override string? TraceParent => claimed.TraceParent;

        public override string? TraceState => claimed.TraceState;

        // A store tells a running attempt that its task was cancelled by refusing its next heartbeat.
        public override CancellationToken Cancellation => CancellationToken.None;

        private StoredAttempt Current => Volatile.Read(ref _renewed) ?? claimed;

        public override LeaseKeeper Keep(CancellationToken stopping) =>
            _keeper = new(RenewAsync, heartbeatInterval: null, claimed.Lease, source.TimeProvider, stopping);

        public override object? ReadInput(HandlerRegistration registration) =>
            source._payloads.ReadInput(claimed.TaskId, claimed.Kind, claimed.Input, registration.InputType);

        // Content goes to the folder the fleet shares; metadata to the store, fenced by this attempt's lease (ADR 0024).
        public override AttemptArtifacts Artifacts()
        {
            var job = claimed.Job ?? JobTaskRef.Standalone(claimed.TaskId);
            return source._artifacts is null
                ? new(store: null, job, claimed.Number)
                : new(source._artifacts, job, claimed.Number, new ArtifactFence(this, source._store), () => SynchronousWait.Result(source._store.ListArtifactsAsync(job.JobId.Value, job.TaskId)));
        }

        public override bool RecordDecision(Decision decision) => SynchronousWait.Result(source._store.RecordDecisionAsync(Current, decision));

        public override async ValueTask<bool> CompleteAsync(HandlerRegistration registration, object? result, decimal cost) =>
            await source._store.CompleteAsync(Current, source._payloads.Write(result, registration.ResultType), cost).ConfigureAwait(false);

        public override async ValueTask<bool> FailAsync(Exception error, decimal cost)
        {
            var permanent = error is InvalidTaskInputException;
            var message = permanent ? error.Message : $"{error.GetType().Name}: {error.Message}";
            return await source._store.FailAsync(Current, message, cost, permanent).ConfigureAwait(false);
        }

        public override async ValueTask<bool> AbandonAsync(string reason) =>
            await source._store.AbandonAsync(Current, reason).ConfigureAwait(false);

        private async ValueTask<Lease<string>?> RenewAsync(Lease<string> lease)
        {
            var renewed = await source._store.RenewAsync(Current).ConfigureAwait(false);
            if (renewed is null)
            {
                return null;
            }

            Volatile.Write(ref _renewed, renewed);
            return renewed.Lease;
        }

        /// <summary>
        /// Records each artifact's metadata in the store with one conditional write on the attempt's lease, so a zombie's
        /// put records nothing, throws, and is recorded as a rejected write.
        /// </summary>
        private sealed class ArtifactFence(Claimed attempt, IWeaverStore store) : IArtifactFence
        {
            public void Check(string name)
            {
                if (attempt._keeper is { IsLost: true })
                {
                    throw Lost(name);
                }
            }

            public async ValueTask<ArtifactRef> RecordAsync(ArtifactRef artifact, Func<ArtifactRef> appendLine, CancellationToken cancellationToken) =>
                await store.AppendArtifactAsync(attempt.Current, artifact, cancellationToken).ConfigureAwait(false)
                    ? artifact
                    : throw Lost(artifact.Name);

            private LeaseLostException Lost(string name)
            {
                var lease = attempt.Current.Lease;
                return new LeaseLostException(lease.Key, lease.Owner, lease.Epoch, $"write of artifact '{name}'");
            }
        }
    }
}
