namespace Weaver.Stores.Tests.Workers;

/// <summary>The input of the worker tests' handler.</summary>
/// <param name="Text">Echoed back, upper-cased.</param>
/// <param name="FailTimes">The first this-many attempts throw.</param>
/// <param name="Block">The handler waits on the test's gate (until its lease or the group stops it).</param>
public sealed record Shout(string Text, int FailTimes = 0, bool Block = false);

/// <summary>The result: what was shouted, and by which attempt.</summary>
/// <param name="Text">The upper-cased text.</param>
/// <param name="Attempt">The attempt that produced it.</param>
public sealed record Shouted(string Text, int Attempt);

/// <summary>Handlers the worker tests run on every store, and what they saw.</summary>
public sealed class StoreHandlers
{
    /// <summary>The kind of <see cref="ShoutHandler"/>.</summary>
    public const string Kind = "echo";

    /// <summary>Completed when a blocking attempt has started.</summary>
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Released by the test to let blocking attempts finish.</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed with how a blocking attempt ended: "cancelled" or "finished".</summary>
    public TaskCompletionSource<string> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A registry holding <see cref="ShoutHandler"/> under <see cref="Kind"/>.</summary>
    /// <returns>The registry.</returns>
    public HandlerRegistry Registry()
    {
        var registry = new HandlerRegistry();
        registry.Add(HandlerRegistration.Create<ShoutHandler, Shout, Shouted>(Kind, () => new ShoutHandler(this)));
        return registry;
    }

    /// <summary>Upper-cases its input's text; fails or blocks when told to.</summary>
    public sealed class ShoutHandler(StoreHandlers probe) : ITaskHandler<Shout, Shouted>
    {
        /// <inheritdoc />
        public async ValueTask<Shouted> HandleAsync(Shout input, TaskContext context)
        {
            if (context.Attempt <= input.FailTimes)
            {
                throw new InvalidOperationException($"attempt {context.Attempt} was told to fail");
            }

            if (input.Block)
            {
                probe.Started.TrySetResult();
                try
                {
                    await probe.Gate.Task.WaitAsync(context.CancellationToken);
                }
                catch (OperationCanceledException)
                {
                    probe.Ended.TrySetResult("cancelled");
                    throw;
                }

                probe.Ended.TrySetResult("finished");
            }

            return new Shouted(input.Text.ToUpperInvariant(), context.Attempt);
        }
    }
}
