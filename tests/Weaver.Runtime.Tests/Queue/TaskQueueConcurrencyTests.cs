using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Weaver.Runtime.Tests.Queue;

/// <summary>Tests that start their own threads run alone, so they neither starve nor are starved by other tests.</summary>
[CollectionDefinition(nameof(TaskQueueConcurrency), DisableParallelization = true)]
public sealed class TaskQueueConcurrency;

[Collection(nameof(TaskQueueConcurrency))]
public sealed class TaskQueueConcurrencyTests
{
    private const int Stop = -1;

    [Fact]
    public async Task Many_producers_and_consumers_deliver_every_item_exactly_once_in_each_producers_order()
    {
        const int producers = 8, perProducer = 10_000, consumers = 4;
        var queue = new TaskQueue<int>(new FakeTimeProvider());

        var consuming = Enumerable.Range(0, consumers).Select(_ => Task.Run(() => ConsumeUntilStopAsync(queue))).ToArray();
        var producing = Enumerable.Range(0, producers).Select(p => Task.Run(() =>
        {
            for (var i = 0; i < perProducer; i++)
            {
                queue.Enqueue((p * perProducer) + i);
            }
        })).ToArray();

        await Task.WhenAll(producing);
        for (var c = 0; c < consumers; c++)
        {
            queue.Enqueue(Stop); // behind every item: FIFO
        }

        var received = await Task.WhenAll(consuming);

        var all = received.SelectMany(items => items).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, producers * perProducer), all);
        foreach (var items in received)
        {
            // One consumer dequeues one item at a time, so it sees each producer's items in the order they were enqueued.
            foreach (var fromOneProducer in items.GroupBy(item => item / perProducer))
            {
                Assert.Equal(fromOneProducer.Order(), fromOneProducer);
            }
        }

        Assert.Equal((0, 0), (queue.ReadyCount, queue.ScheduledCount));
    }

    [Fact]
    public async Task Scheduled_items_reach_concurrent_consumers_exactly_once_and_never_before_they_are_due()
    {
        const int producers = 4, perProducer = 2_000, consumers = 4, horizonMs = 500;
        var time = new FakeTimeProvider();
        var start = time.GetUtcNow();
        var queue = new TaskQueue<int>(time);
        var dueAt = new DateTimeOffset[producers * perProducer];
        var seed = new Random(20_240_601);
        for (var i = 0; i < dueAt.Length; i++)
        {
            // Some due at once, some at the same instant, some between milliseconds.
            dueAt[i] = start + TimeSpan.FromTicks(seed.NextInt64(-TimeSpan.TicksPerMillisecond, horizonMs * TimeSpan.TicksPerMillisecond));
        }

        var late = new ConcurrentQueue<string>();
        var consuming = Enumerable.Range(0, consumers).Select(_ => Task.Run(async () =>
        {
            var items = new List<int>();
            while (true)
            {
                var item = await queue.DequeueAsync();
                if (item == Stop)
                {
                    return items;
                }

                var now = time.GetUtcNow();
                if (now < dueAt[item])
                {
                    late.Enqueue($"item {item} due at {dueAt[item]:O} was dequeued at {now:O}");
                }

                items.Add(item);
            }
        })).ToArray();

        var producing = Enumerable.Range(0, producers).Select(p => Task.Run(() =>
        {
            for (var i = p * perProducer; i < (p + 1) * perProducer; i++)
            {
                queue.Schedule(i, dueAt[i]);
            }
        })).ToArray();

        // The clock moves forward while producers schedule and consumers wait; only the queue's timer wakes them.
        var clock = Task.Run(() =>
        {
            for (var ms = 1; ms <= horizonMs + 1; ms++)
            {
                time.SetUtcNow(start.AddMilliseconds(ms));
            }
        });

        await Task.WhenAll(producing);
        await clock;
        for (var c = 0; c < consumers; c++)
        {
            queue.Enqueue(Stop); // every scheduled item is due by now, so each one is ready before these
        }

        var received = await Task.WhenAll(consuming);

        Assert.Empty(late);
        Assert.Equal(Enumerable.Range(0, producers * perProducer), received.SelectMany(items => items).Order());
        Assert.Equal((0, 0), (queue.ReadyCount, queue.ScheduledCount));
    }

    [Fact]
    public async Task An_item_racing_a_cancellation_goes_to_the_waiter_or_stays_queued_never_both_never_neither()
    {
        var queue = new TaskQueue<int>(new FakeTimeProvider());
        for (var i = 0; i < 2_000; i++)
        {
            using var cancel = new CancellationTokenSource();
            var waiting = queue.DequeueAsync(cancel.Token).AsTask();

            await Task.WhenAll(Task.Run(cancel.Cancel), Task.Run(() => queue.Enqueue(i)));

            try
            {
                Assert.Equal(i, await waiting);
                Assert.False(queue.TryDequeue(out _));
            }
            catch (OperationCanceledException)
            {
                Assert.True(queue.TryDequeue(out var left));
                Assert.Equal(i, left);
            }
        }

        Assert.Equal(0, queue.ReadyCount);
    }

    [Fact]
    public async Task Consumers_cancelled_while_producers_run_lose_no_item()
    {
        const int items = 20_000;
        var queue = new TaskQueue<int>(new FakeTimeProvider());
        var received = new ConcurrentBag<int>();
        using var stopConsumers = new CancellationTokenSource();

        // Each consumer gives up every few waits (a fresh token cancelled by another thread), then waits again.
        var consuming = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            while (!stopConsumers.IsCancellationRequested)
            {
                using var impatience = CancellationTokenSource.CreateLinkedTokenSource(stopConsumers.Token);
                var wait = queue.DequeueAsync(impatience.Token).AsTask();
                var giveUp = Task.Run(impatience.Cancel);
                try
                {
                    received.Add(await wait);
                }
                catch (OperationCanceledException)
                {
                    // Gave up; whatever was enqueued meanwhile is still queued.
                }

                await giveUp;
            }
        })).ToArray();

        var producing = Task.Run(() =>
        {
            for (var i = 0; i < items; i++)
            {
                queue.Enqueue(i);
            }
        });

        await producing;
        await stopConsumers.CancelAsync();
        await Task.WhenAll(consuming);
        while (queue.TryDequeue(out var left))
        {
            received.Add(left);
        }

        Assert.Equal(Enumerable.Range(0, items), received.Order());
    }

    private static async Task<List<int>> ConsumeUntilStopAsync(TaskQueue<int> queue)
    {
        var items = new List<int>();
        while (true)
        {
            var item = await queue.DequeueAsync();
            if (item == Stop)
            {
                return items;
            }

            items.Add(item);
        }
    }
}
