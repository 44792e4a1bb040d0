using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Weaver;

/// <summary>Attempts from the in-process <see cref="TaskEngine"/>: idle workers wait on its queue, without polling.</summary>
internal sealed class EngineAttemptSource(TaskEngine engine, ILogger logger) : IAttemptSource
{
    public HandlerRegistry Handlers => engine.Handlers;

    public TimeProvider TimeProvider => engine.TimeProvider;

    public TimeSpan HeartbeatInterval => engine.Claims.Options.HeartbeatInterval;

    public ChannelReader<TaskSnapshot>? EndedWithOutcomes => engine.EndedWithOutcomes;

    public async ValueTask<ClaimedAttempt?> NextAsync(string owner, CancellationToken cancellationToken)
    {
        while (true)
        {
            string taskId;
            try
            {
                taskId = await engine.Queue.DequeueAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return null; // the engine was disposed: nothing more to take
            }

            if (engine.TryStartAttempt(taskId, owner, out var attempt))
            {
                return new Claimed(engine, attempt);
            }
        }
    }

    public void Sweep()
    {
        var taken = engine.Sweep();
        if (taken > 0)
        {
            Log.Swept(logger, taken);
        }
    }

    private sealed class Claimed(TaskEngine engine, TaskAttempt attempt) : ClaimedAttempt
    {
        public override string TaskId => attempt.TaskId;

        public override string Kind => attempt.Kind;

        public override int Number => attempt.Number;

        public override Lease<string> Lease => attempt.Lease;

        public override string? TraceParent => attempt.TraceParent;

        public override string? TraceState => attempt.TraceState;

        public override CancellationToken Cancellation => attempt.Cancellation;

        public override LeaseKeeper Keep(CancellationToken stopping) =>
            new(LeaseKeeper.RenewIn(engine.Claims, () => engine.TryRenewResources(attempt)), heartbeatInterval: null, attempt.Lease, engine.TimeProvider,
                attempt.Cancellation, stopping, engine.RecordLostLease);

        public override object? ReadInput(HandlerRegistration registration) => attempt.Input;

        public override AttemptArtifacts Artifacts() => engine.ArtifactsFor(attempt);

        public override bool RecordDecision(Decision decision) => engine.TryRecordDecision(attempt, decision);

        public override ValueTask<bool> CompleteAsync(HandlerRegistration registration, object? result, decimal cost) =>
            ValueTask.FromResult(engine.TryComplete(attempt, result, cost));

        public override ValueTask<bool> FailAsync(Exception error, decimal cost) => ValueTask.FromResult(engine.TryFail(attempt, error, cost));

        public override ValueTask<bool> AbandonAsync(string reason) => ValueTask.FromResult(engine.TryAbandon(attempt, reason));
    }
}
