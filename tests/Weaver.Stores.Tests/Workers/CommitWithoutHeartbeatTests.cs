using System.Reflection;
using Weaver.Stores.Tests.Conformance;
using Weaver.Stores.Tests.InMemory;

namespace Weaver.Stores.Tests.Workers;

/// <summary>
/// A store-backed worker stops its heartbeats before it commits: a heartbeat due while the commit is on its way to the
/// store must not reach the store after it, where it would be rejected and recorded as a zombie's write under the
/// accepted epoch. The store here holds the commit open, after it landed, while the test moves the clock past a
/// heartbeat.
/// </summary>
public sealed class CommitWithoutHeartbeatTests
{
    [Fact]
    public async Task No_heartbeat_reaches_the_store_after_the_commit()
    {
        var setup = StoreSetup.Default();
        await using var inner = await new InMemoryStoreProvider().CreateAsync(setup);
        var store = HeldCommitStore.Wrap(inner);
        var spy = (HeldCommitStore)(object)store;
        var handlers = new StoreHandlers();
        var payloads = new TaskPayloads();
        await store.CreateTaskAsync(new NewTask("t", StoreHandlers.Kind, payloads.Write(new Shout("x"), typeof(Shout)), RetryPolicy.Default));
        var group = new WorkerGroup(store, handlers.Registry(), new WorkerGroupOptions { Concurrency = 1, TimeProvider = setup.Time, IdleWait = TimeSpan.FromSeconds(1) });
        group.Start();

        await spy.Committed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        setup.Time.Advance(setup.Leases.HeartbeatInterval * 2); // a heartbeat would fire here, after the commit landed
        spy.Release.TrySetResult();
        await group.StopAsync(TimeSpan.Zero);

        var history = await inner.GetHistoryAsync("t");
        Assert.Contains(history, e => e.Kind == TaskEventKind.Succeeded);
        Assert.DoesNotContain(history, e => e.Kind == TaskEventKind.WriteRejected);
    }

    /// <summary>Forwards every call; a commit is made, then held until the test releases it.</summary>
    public class HeldCommitStore : DispatchProxy
    {
        private IWeaverStore _inner = null!;

        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static IWeaverStore Wrap(IWeaverStore inner)
        {
            var proxy = Create<IWeaverStore, HeldCommitStore>();
            ((HeldCommitStore)(object)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(IWeaverStore.CompleteAsync))
            {
                return new ValueTask<bool>(CommitThenHoldAsync((ValueTask<bool>)targetMethod.Invoke(_inner, args)!));
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException error) when (error.InnerException is not null)
            {
                throw error.InnerException;
            }
        }

        private async Task<bool> CommitThenHoldAsync(ValueTask<bool> commit)
        {
            var accepted = await commit;
            Committed.TrySetResult();
            await Release.Task;
            return accepted;
        }
    }
}
