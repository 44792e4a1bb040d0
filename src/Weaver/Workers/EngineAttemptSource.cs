using System.Threading.Channels;

namespace Weaver;

/// <summary>Attempts from the in-process <see cref="TaskEngine"/>: idle workers wait on its queue, without polling.</summary>
internal sealed class EngineAttemptSource(TaskEngine engine) : IAttemptSource
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

    public void Sweep() => engine.Sweep();

    private sealed class Claimed(TaskEngine engine, TaskAttempt attempt) : ClaimedAttempt
    {
        public override string TaskId => attempt.TaskId;

        public override string Kind => attempt.Kind;

        public override int Number => attempt.Number;

        public override Lease<string> Lease => attempt.Lease;

        public override CancellationToken Cancellation => attempt.Cancellation;

        public override LeaseKeeper Keep(CancellationToken stopping) =>
            new(engine.Claims, attempt.Lease, engine.TimeProvider, stopping, engine.RecordLostLease, () => engine.TryRenewResources(attempt));

        public override object? ReadInput(HandlerRegistration registration) => attempt.Input;

        public override AttemptArtifacts Artifacts() => engine.ArtifactsFor(attempt);

        public override bool RecordDecision(Decision decision) => engine.TryRecordDecision(attempt, decision);

        public override ValueTask CompleteAsync(HandlerRegistration registration, object? result, decimal cost)
        {
            engine.TryComplete(attempt, result, cost);
            return ValueTask.CompletedTask;
        }

        public override ValueTask FailAsync(Exception error, decimal cost)
        {
            engine.TryFail(attempt, error, cost);
            return ValueTask.CompletedTask;
        }

        public override ValueTask AbandonAsync(string reason)
        {
            engine.TryAbandon(attempt, reason);
            return ValueTask.CompletedTask;
        }
    }
}
