using Microsoft.Extensions.Time.Testing;

namespace Weaver.Runtime.Tests.Queue;

public sealed class TaskQueueTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Ready_items_come_out_first_in_first_out()
    {
        var queue = new TaskQueue<int>(_time);
        foreach (var item in new[] { 3, 1, 4, 1, 5 })
        {
            queue.Enqueue(item);
        }

        Assert.Equal(5, queue.ReadyCount);
        Assert.Equal([3, 1, 4, 1, 5], DrainReady(queue));
        Assert.False(queue.TryDequeue(out var none));
        Assert.Equal(0, none);
    }

    [Fact]
    public void A_scheduled_item_becomes_ready_at_its_due_time_and_not_one_tick_before()
    {
        var queue = new TaskQueue<string>(_time);
        var dueAt = _time.GetUtcNow().AddSeconds(10);
        queue.Schedule("retry", dueAt);

        _time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.False(queue.TryDequeue(out _));
        Assert.Equal(0, queue.ReadyCount);
        Assert.Equal(1, queue.ScheduledCount);
        Assert.Equal(dueAt, queue.NextDueAt);

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(1, queue.ReadyCount);
        Assert.Equal(0, queue.ScheduledCount);
        Assert.Null(queue.NextDueAt);
        Assert.True(queue.TryDequeue(out var item));
        Assert.Equal("retry", item);
    }

    [Fact]
    public void Items_due_at_the_same_instant_keep_their_scheduling_order()
    {
        var queue = new TaskQueue<string>(_time);
        var now = _time.GetUtcNow();
        queue.Schedule("a", now.AddSeconds(5));
        queue.Schedule("late", now.AddSeconds(9));
        queue.Schedule("b", now.AddSeconds(5));
        queue.Schedule("early", now.AddSeconds(1));
        queue.Schedule("c", now.AddSeconds(5).ToOffset(TimeSpan.FromHours(2))); // the same instant in another offset

        Assert.Equal(now.AddSeconds(1), queue.NextDueAt);
        _time.Advance(TimeSpan.FromSeconds(9));

        Assert.Equal(["early", "a", "b", "c", "late"], DrainReady(queue));
    }

    [Fact]
    public void A_due_time_already_reached_means_ready_now_behind_the_items_already_ready()
    {
        var queue = new TaskQueue<string>(_time);
        var now = _time.GetUtcNow();
        queue.Enqueue("first");
        queue.Schedule("past", now.AddDays(-1));
        queue.Schedule("now", now);
        queue.Enqueue("last");

        Assert.Equal(0, queue.ScheduledCount);
        Assert.Null(queue.NextDueAt);
        Assert.Equal(["first", "past", "now", "last"], DrainReady(queue));
    }

    [Fact]
    public void Ready_order_is_the_order_items_became_ready()
    {
        var queue = new TaskQueue<string>(_time);
        var now = _time.GetUtcNow();
        queue.Schedule("due at 1 s", now.AddSeconds(1));
        queue.Schedule("due at 3 s", now.AddSeconds(3));
        queue.Enqueue("enqueued at 0 s");

        _time.Advance(TimeSpan.FromSeconds(2));
        queue.Enqueue("enqueued at 2 s"); // after "due at 1 s" came due, though nothing dequeued in between
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(["enqueued at 0 s", "due at 1 s", "enqueued at 2 s", "due at 3 s"], DrainReady(queue));
    }

    [Fact]
    public void Counts_and_next_due_time_follow_the_clock()
    {
        var queue = new TaskQueue<int>(_time);
        Assert.Equal((0, 0, null), (queue.ReadyCount, queue.ScheduledCount, queue.NextDueAt));

        var now = _time.GetUtcNow();
        queue.Enqueue(1);
        queue.Schedule(2, now.AddMinutes(2));
        queue.Schedule(3, now.AddMinutes(1));
        Assert.Equal((1, 2, now.AddMinutes(1)), (queue.ReadyCount, queue.ScheduledCount, queue.NextDueAt));

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal((2, 1, now.AddMinutes(2)), (queue.ReadyCount, queue.ScheduledCount, queue.NextDueAt));

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal((3, 0, null), (queue.ReadyCount, queue.ScheduledCount, queue.NextDueAt));
    }

    [Fact]
    public async Task DequeueAsync_returns_synchronously_when_an_item_is_ready()
    {
        var queue = new TaskQueue<int>(_time);
        queue.Enqueue(42);

        var pending = queue.DequeueAsync(CancellationToken.None);

        Assert.True(pending.IsCompletedSuccessfully);
        Assert.Equal(42, await pending);
    }

    [Fact]
    public async Task DequeueAsync_completes_when_an_item_is_enqueued_later()
    {
        var queue = new TaskQueue<int>(_time);
        var pending = queue.DequeueAsync(CancellationToken.None).AsTask();
        Assert.False(pending.IsCompleted);

        queue.Enqueue(7);

        Assert.Equal(7, await Completed(pending));
        Assert.Equal(0, queue.ReadyCount);
    }

    [Fact]
    public async Task DequeueAsync_wakes_when_a_scheduled_item_comes_due()
    {
        var queue = new TaskQueue<string>(_time);
        queue.Schedule("retry", _time.GetUtcNow().AddSeconds(5));
        var pending = queue.DequeueAsync(CancellationToken.None).AsTask();

        _time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromMilliseconds(1));
        Assert.False(pending.IsCompleted);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("retry", await Completed(pending));
    }

    [Fact]
    public async Task A_consumer_already_waiting_wakes_for_an_item_scheduled_afterwards()
    {
        var queue = new TaskQueue<string>(_time);
        var pending = queue.DequeueAsync(CancellationToken.None).AsTask();

        queue.Schedule("later", _time.GetUtcNow().AddSeconds(3));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(pending.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("later", await Completed(pending));
    }

    [Fact]
    public async Task The_timer_is_rearmed_when_an_earlier_item_is_scheduled()
    {
        var queue = new TaskQueue<string>(_time);
        var now = _time.GetUtcNow();
        queue.Schedule("late", now.AddSeconds(10));
        var first = queue.DequeueAsync(CancellationToken.None).AsTask();
        queue.Schedule("early", now.AddSeconds(3));

        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal("early", await Completed(first));

        var second = queue.DequeueAsync(CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.False(second.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("late", await Completed(second));
    }

    [Fact]
    public async Task A_due_time_beyond_the_longest_timer_is_still_reached()
    {
        var queue = new TaskQueue<string>(_time);
        queue.Schedule("in 100 days", _time.GetUtcNow().AddDays(100));
        var pending = queue.DequeueAsync(CancellationToken.None).AsTask();

        _time.Advance(TimeSpan.FromDays(60)); // past the longest timer (about 49.7 days): it fires early and re-arms
        Assert.False(pending.IsCompleted);

        _time.Advance(TimeSpan.FromDays(40));
        Assert.Equal("in 100 days", await Completed(pending));
    }

    [Fact]
    public async Task A_sleeping_consumer_wakes_by_the_millisecond_after_a_sub_millisecond_due_time()
    {
        var queue = new TaskQueue<string>(_time);
        queue.Schedule("soon", _time.GetUtcNow().AddTicks(3_000)); // 0.3 ms
        var pending = queue.DequeueAsync(CancellationToken.None).AsTask();

        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal("soon", await Completed(pending));
    }

    [Fact]
    public async Task Waiting_consumers_are_served_in_the_order_they_started_waiting()
    {
        var queue = new TaskQueue<int>(_time);
        var token = CancellationToken.None;
        var first = queue.DequeueAsync(token).AsTask();
        var second = queue.DequeueAsync(token).AsTask();
        var third = queue.DequeueAsync(token).AsTask();

        queue.Enqueue(1);
        queue.Enqueue(2);
        Assert.False(third.IsCompleted);
        queue.Enqueue(3);

        var served = await Completed(Task.WhenAll(first, second, third));
        Assert.Equal([1, 2, 3], served);
    }

    [Fact]
    public async Task Items_that_come_due_together_go_one_to_each_waiting_consumer()
    {
        var queue = new TaskQueue<int>(_time);
        var token = CancellationToken.None;
        var dueAt = _time.GetUtcNow().AddSeconds(1);
        for (var i = 1; i <= 3; i++)
        {
            queue.Schedule(i, dueAt);
        }

        var waiting = new[] { queue.DequeueAsync(token).AsTask(), queue.DequeueAsync(token).AsTask() };
        _time.Advance(TimeSpan.FromSeconds(1));

        var served = await Completed(Task.WhenAll(waiting));
        Assert.Equal([1, 2], served);
        Assert.Equal(1, queue.ReadyCount);
        Assert.True(queue.TryDequeue(out var left));
        Assert.Equal(3, left);
    }

    [Fact]
    public async Task A_cancelled_wait_throws_and_leaves_the_next_item_to_others()
    {
        var queue = new TaskQueue<int>(_time);
        using var cancel = new CancellationTokenSource();
        var cancelled = queue.DequeueAsync(cancel.Token).AsTask();
        var other = queue.DequeueAsync(CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        Assert.True(cancelled.IsCanceled);
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(cancel.Token, error.CancellationToken);

        queue.Enqueue(5);
        Assert.Equal(5, await Completed(other));

        var afterwards = queue.DequeueAsync(CancellationToken.None).AsTask();
        Assert.False(afterwards.IsCompleted);
        queue.Enqueue(6);
        Assert.Equal(6, await Completed(afterwards));
    }

    [Fact]
    public async Task A_cancelled_wait_does_not_swallow_an_item_that_comes_due_later()
    {
        var queue = new TaskQueue<int>(_time);
        queue.Schedule(9, _time.GetUtcNow().AddSeconds(1));
        using var cancel = new CancellationTokenSource();
        var cancelled = queue.DequeueAsync(cancel.Token).AsTask();

        await cancel.CancelAsync();
        Assert.True(cancelled.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(queue.TryDequeue(out var item));
        Assert.Equal(9, item);
    }

    [Fact]
    public async Task An_already_cancelled_token_takes_nothing()
    {
        var queue = new TaskQueue<int>(_time);
        queue.Enqueue(1);

        var pending = queue.DequeueAsync(new CancellationToken(canceled: true));

        Assert.True(pending.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending);
        Assert.Equal(1, queue.ReadyCount);
    }

    [Fact]
    public async Task Waiting_consumers_are_completed_after_the_producer_returns_not_inline()
    {
        var queue = new TaskQueue<int>(_time);
        var producerThread = Environment.CurrentManagedThreadId;
        var produced = false;
        var ranInline = false;
        var pending = queue.DequeueAsync(CancellationToken.None).AsTask();
        var continuation = pending.ContinueWith(
            _ => ranInline = Environment.CurrentManagedThreadId == producerThread && !Volatile.Read(ref produced),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        queue.Enqueue(1);
        Volatile.Write(ref produced, true);

        Assert.True(pending.IsCompleted);
        await continuation;
        Assert.False(ranInline);
    }

    [Fact]
    public async Task An_idle_consumer_reads_no_clock_and_fires_no_timer_before_an_item_is_due()
    {
        var time = new CountingTimeProvider(_time);
        var queue = new TaskQueue<int>(time);
        queue.Schedule(1, time.GetUtcNow().AddHours(1));
        var pending = queue.DequeueAsync(CancellationToken.None).AsTask();
        var (reads, fires) = (time.Reads, time.TimerFires);

        for (var minute = 0; minute < 59; minute++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.False(pending.IsCompleted);
        Assert.Equal((reads, fires), (time.Reads, time.TimerFires));

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await Completed(pending));
        Assert.Equal(fires + 1, time.TimerFires);
    }

    [Fact]
    public async Task Dispose_fails_waiting_consumers_and_leaves_queued_items_to_drain()
    {
        var queue = new TaskQueue<int>(_time);
        var pending = queue.DequeueAsync(CancellationToken.None).AsTask();
        queue.Schedule(2, _time.GetUtcNow().AddSeconds(1));

        queue.Dispose();
        queue.Dispose();

        Assert.True(pending.IsFaulted);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pending);
        Assert.Throws<ObjectDisposedException>(() => queue.Enqueue(1));
        Assert.Throws<ObjectDisposedException>(() => queue.Schedule(1, _time.GetUtcNow()));
        Assert.Throws<ObjectDisposedException>(() => queue.DequeueAsync(CancellationToken.None));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(queue.TryDequeue(out var left));
        Assert.Equal(2, left);
    }

    /// <summary>
    /// Awaits a wait that must already be over: the queue completes waits inline (their continuations run later), so a
    /// broken wake-up fails here instead of hanging the test.
    /// </summary>
    private static Task<T> Completed<T>(Task<T> task)
    {
        Assert.True(task.IsCompleted, "The wait should have been completed by now.");
        return task;
    }

    private static List<T> DrainReady<T>(TaskQueue<T> queue)
    {
        var items = new List<T>();
        while (queue.TryDequeue(out var item))
        {
            items.Add(item);
        }

        return items;
    }

    /// <summary>A clock that counts how often it is read and how often its timers fire.</summary>
    private sealed class CountingTimeProvider(FakeTimeProvider inner) : TimeProvider
    {
        private int _reads;
        private int _fires;

        public int Reads => Volatile.Read(ref _reads);

        public int TimerFires => Volatile.Read(ref _fires);

        public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override DateTimeOffset GetUtcNow()
        {
            Interlocked.Increment(ref _reads);
            return inner.GetUtcNow();
        }

        public override long GetTimestamp() => inner.GetTimestamp();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            inner.CreateTimer(
                s =>
                {
                    Interlocked.Increment(ref _fires);
                    callback(s);
                },
                state,
                dueTime,
                period);
    }
}
