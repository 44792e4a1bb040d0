using Microsoft.Extensions.Time.Testing;

namespace Weaver.Runtime.Tests.Queue;

/// <summary><see cref="TaskQueue{T}.WaitForReadyAsync"/>: a wait for a ready item that takes nothing.</summary>
public sealed class TaskQueueWaitForReadyTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_wait_completes_at_once_when_an_item_is_ready_and_takes_nothing()
    {
        var queue = new TaskQueue<int>(_time);
        queue.Enqueue(1);

        var wait = queue.WaitForReadyAsync();

        Assert.True(wait.IsCompletedSuccessfully);
        Assert.Equal(1, queue.ReadyCount);
        Assert.True(queue.TryDequeue(out var item));
        Assert.Equal(1, item);
    }

    [Fact]
    public void A_wait_completes_at_once_for_a_scheduled_item_that_has_come_due()
    {
        var queue = new TaskQueue<int>(_time);
        queue.Schedule(1, _time.GetUtcNow().AddSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(queue.WaitForReadyAsync().IsCompletedSuccessfully);
        Assert.Equal(1, queue.ReadyCount);
    }

    [Fact]
    public async Task A_wait_completes_when_an_item_is_enqueued_and_leaves_it_queued()
    {
        var queue = new TaskQueue<int>(_time);
        var wait = queue.WaitForReadyAsync();
        Assert.False(wait.IsCompleted);

        queue.Enqueue(7);

        await Completed(wait);
        Assert.Equal(1, queue.ReadyCount);
    }

    [Fact]
    public async Task A_wait_wakes_when_a_scheduled_item_comes_due_and_not_a_millisecond_before()
    {
        var queue = new TaskQueue<string>(_time);
        queue.Schedule("retry", _time.GetUtcNow().AddSeconds(5));
        var wait = queue.WaitForReadyAsync();

        _time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromMilliseconds(1));
        Assert.False(wait.IsCompleted);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await Completed(wait);
        Assert.True(queue.TryDequeue(out var item));
        Assert.Equal("retry", item);
    }

    [Fact]
    public async Task A_wait_wakes_for_an_item_scheduled_after_it_started()
    {
        var queue = new TaskQueue<string>(_time);
        var wait = queue.WaitForReadyAsync();

        queue.Schedule("later", _time.GetUtcNow().AddSeconds(3));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(wait.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(1));
        await Completed(wait);
    }

    [Fact]
    public async Task Every_waiting_caller_wakes_for_one_item()
    {
        var queue = new TaskQueue<int>(_time);
        var waits = Enumerable.Range(0, 5).Select(_ => queue.WaitForReadyAsync()).ToArray();

        queue.Schedule(1, _time.GetUtcNow());

        foreach (var wait in waits)
        {
            await Completed(wait);
        }

        Assert.Equal(1, queue.ReadyCount);
    }

    [Fact]
    public async Task A_wait_is_only_a_hint_a_waiting_consumer_may_take_the_item_first()
    {
        var queue = new TaskQueue<int>(_time);
        var consumer = queue.DequeueAsync(CancellationToken.None).AsTask();
        var wait = queue.WaitForReadyAsync();

        queue.Enqueue(3);

        await Completed(wait);
        Assert.Equal(3, await consumer);
        Assert.Equal(0, queue.ReadyCount);
    }

    [Fact]
    public async Task A_cancelled_wait_throws_and_changes_nothing()
    {
        var queue = new TaskQueue<int>(_time);
        using var cancel = new CancellationTokenSource();
        var wait = queue.WaitForReadyAsync(cancel.Token);
        var other = queue.WaitForReadyAsync();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Completed(wait));
        Assert.False(other.IsCompleted);
        queue.Enqueue(1);
        await Completed(other);
        Assert.Equal(1, queue.ReadyCount);
    }

    [Fact]
    public async Task An_already_cancelled_token_is_cancelled_even_with_an_item_ready()
    {
        var queue = new TaskQueue<int>(_time);
        queue.Enqueue(1);

        var wait = queue.WaitForReadyAsync(new CancellationToken(canceled: true));

        Assert.True(wait.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        Assert.Equal(1, queue.ReadyCount);
    }

    [Fact]
    public async Task A_wait_that_was_woken_ignores_a_later_cancellation()
    {
        var queue = new TaskQueue<int>(_time);
        using var cancel = new CancellationTokenSource();
        var wait = queue.WaitForReadyAsync(cancel.Token);

        queue.Enqueue(1);
        await cancel.CancelAsync();

        await Completed(wait);
        Assert.True(wait.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Waiting_callers_are_woken_after_the_producer_returns_not_inline()
    {
        var queue = new TaskQueue<int>(_time);
        var producerThread = Environment.CurrentManagedThreadId;
        var produced = false;
        var ranInline = false;
        var wait = queue.WaitForReadyAsync();
        var continuation = wait.ContinueWith(
            _ => ranInline = Environment.CurrentManagedThreadId == producerThread && !Volatile.Read(ref produced),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        queue.Enqueue(1);
        Volatile.Write(ref produced, true);

        Assert.True(wait.IsCompleted);
        await continuation;
        Assert.False(ranInline);
    }

    [Fact]
    public async Task Dispose_fails_waiting_callers_and_later_waits()
    {
        var queue = new TaskQueue<int>(_time);
        var wait = queue.WaitForReadyAsync();

        queue.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => Completed(wait));
        Assert.Throws<ObjectDisposedException>(() => { _ = queue.WaitForReadyAsync(); }); // thrown by the call itself
    }

    /// <summary>Awaits a wait that must already be over, so a broken wake-up fails here instead of hanging the test.</summary>
    private static Task Completed(Task task)
    {
        Assert.True(task.IsCompleted, "The wait should have been completed by now.");
        return task;
    }
}
