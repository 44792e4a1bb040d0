using System.Diagnostics;

namespace Weaver;

/// <summary>
/// The in-process engine's queue of work: items that are ready now, and items scheduled to become ready at a due time
/// (a retry after its backoff, a delayed start). Any number of producers and consumers may use it at once; each item
/// is dequeued exactly once.
/// </summary>
/// <remarks>
/// <para><b>Order.</b> Ready items come out first in, first out. A scheduled item becomes ready when the
/// <see cref="TimeProvider"/>'s clock reaches its due time (at that instant, not a tick before); items due at the same
/// instant become ready in the order they were scheduled, and a due time already reached makes the item ready at once.
/// Every operation first moves the items that have come due to the ready items (earliest due first), so an item
/// enqueued after a scheduled item came due is dequeued after it.</para>
/// <para><b>Waiting.</b> <see cref="DequeueAsync"/> does not poll: a consumer with nothing to take sleeps until an item
/// is enqueued, until the earliest scheduled item comes due, or until it is cancelled. Due times are watched by one
/// <see cref="TimeProvider"/> timer, armed for the earliest due time and re-armed when that changes. Timers count whole
/// milliseconds, so the timer is armed for the due time rounded up to the next millisecond: a sleeping consumer may
/// wake up to 1 ms (plus the timer's own latency) after an item's due time, while <see cref="TryDequeue"/> and every
/// other call see the item ready at the due time exactly. Sleeping consumers are served in the order they started
/// waiting. <see cref="WaitForReadyAsync"/> waits the same way without taking anything, for a caller that takes
/// items by other means (a store's claim).</para>
/// <para><b>Locking.</b> A short lock guards the two queues and the list of sleeping consumers. Nothing is awaited
/// under it, no consumer's task is completed under it (continuations run asynchronously, after it is released), and
/// the <see cref="TimeProvider"/> is not called under it, because a provider may run due timer callbacks inline (a
/// fake clock does so on any call).</para>
/// </remarks>
/// <typeparam name="T">The kind of item (a task id, a work item).</typeparam>
public sealed class TaskQueue<T> : IDisposable
{
    /// <summary>The longest due time a <see cref="TimeProvider"/> timer accepts (0xFFFFFFFE ms, about 49.7 days).</summary>
    private static readonly TimeSpan MaxTimerDueTime = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Queue<T> _ready = new();
    private readonly PriorityQueue<T, (DateTimeOffset DueAt, long Sequence)> _scheduled = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly List<Watcher> _watchers = [];
    private long _sequence;
    private bool _disposed;

    // The timer is re-armed outside the lock by one thread at a time (the one that set _timerSyncing), which loops
    // until no change is left (_timerDirty), so the last arming always follows the latest schedule. Only that thread
    // touches _timer, or Dispose when no thread holds the role.
    private bool _timerDirty;
    private bool _timerSyncing;
    private ITimer? _timer;

    /// <summary>Creates an empty queue.</summary>
    /// <param name="timeProvider">The clock that decides when scheduled items come due; <see cref="TimeProvider.System"/> when null.</param>
    public TaskQueue(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>How many items are ready to be dequeued now (scheduled items that have come due included).</summary>
    public int ReadyCount => Observe(static queue => queue._ready.Count);

    /// <summary>How many items are scheduled and not yet due.</summary>
    public int ScheduledCount => Observe(static queue => queue._scheduled.Count);

    /// <summary>The due time of the earliest scheduled item not yet due, or <see langword="null"/> when none is scheduled.</summary>
    public DateTimeOffset? NextDueAt => Observe(static queue => queue._scheduled.TryPeek(out _, out var key) ? key.DueAt : (DateTimeOffset?)null);

    /// <summary>Adds an item that is ready now, behind the items already ready. A sleeping consumer, if any, takes it.</summary>
    /// <param name="item">The item.</param>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public void Enqueue(T item)
    {
        var now = _time.GetUtcNow();
        var handoffs = default(Handoffs);
        bool syncTimer;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            PromoteDueLocked(now, ref handoffs);
            _ready.Enqueue(item);
            WakeWatchersLocked(ref handoffs);
            HandOffLocked(ref handoffs);
            syncTimer = ClaimTimerSyncLocked();
        }

        Finish(in handoffs, syncTimer);
    }

    /// <summary>
    /// Adds an item that becomes ready at <paramref name="dueAt"/> by this queue's clock; one whose due time has already
    /// been reached is ready now, as if enqueued.
    /// </summary>
    /// <param name="item">The item.</param>
    /// <param name="dueAt">When the item becomes ready. Items due at the same instant become ready in the order they were scheduled.</param>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public void Schedule(T item, DateTimeOffset dueAt)
    {
        var now = _time.GetUtcNow();
        var handoffs = default(Handoffs);
        bool syncTimer;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            PromoteDueLocked(now, ref handoffs);
            if (dueAt <= now)
            {
                _ready.Enqueue(item);
                WakeWatchersLocked(ref handoffs);
                HandOffLocked(ref handoffs);
            }
            else
            {
                // Only a new earliest due time moves the timer; an equal one is behind the current head (later sequence).
                if (!_scheduled.TryPeek(out _, out var head) || dueAt < head.DueAt)
                {
                    _timerDirty = true;
                }

                _scheduled.Enqueue(item, (dueAt, _sequence++));
            }

            syncTimer = ClaimTimerSyncLocked();
        }

        Finish(in handoffs, syncTimer);
    }

    /// <summary>
    /// Takes the oldest ready item, after first making ready every scheduled item that has come due (earliest due
    /// first). Sleeping consumers of <see cref="DequeueAsync"/> are served before this call.
    /// </summary>
    /// <remarks>Works after <see cref="Dispose"/> too, so what was left can be drained.</remarks>
    /// <param name="item">The item taken, or the default value when none is ready.</param>
    /// <returns><see langword="true"/> when an item was taken.</returns>
    public bool TryDequeue(out T item)
    {
        var now = _time.GetUtcNow();
        var handoffs = default(Handoffs);
        bool taken, syncTimer;
        lock (_gate)
        {
            PromoteDueLocked(now, ref handoffs);
            HandOffLocked(ref handoffs);
            taken = _ready.TryDequeue(out item!);
            syncTimer = ClaimTimerSyncLocked();
        }

        Finish(in handoffs, syncTimer);
        return taken;
    }

    /// <summary>
    /// Takes the oldest ready item as <see cref="TryDequeue"/> does, or, when none is ready, waits without polling
    /// until one is: until an item is enqueued or the earliest scheduled item comes due. Consumers waiting together
    /// are served in the order they started waiting, one item each.
    /// </summary>
    /// <param name="cancellationToken">Stops the wait. An item is never lost to a cancelled wait: it stays queued for
    /// the next consumer. A wait that was handed an item just as it was cancelled returns the item.</param>
    /// <returns>The item taken: synchronously when one was ready.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before an item was handed over.</exception>
    /// <exception cref="ObjectDisposedException">The queue was disposed, before the call or while waiting.</exception>
    public ValueTask<T> DequeueAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<T>(cancellationToken);
        }

        var now = _time.GetUtcNow();
        var handoffs = default(Handoffs);
        Waiter? waiter = null;
        T item;
        bool syncTimer;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            PromoteDueLocked(now, ref handoffs);
            HandOffLocked(ref handoffs); // consumers already waiting come first
            if (!_ready.TryDequeue(out item!))
            {
                waiter = new Waiter(this, cancellationToken);
                _waiters.AddLast(waiter.Node);
            }

            syncTimer = ClaimTimerSyncLocked();
        }

        Finish(in handoffs, syncTimer);
        if (waiter is null)
        {
            return new ValueTask<T>(item);
        }

        if (cancellationToken.CanBeCanceled)
        {
            RegisterCancellation(waiter, cancellationToken);
        }

        return new ValueTask<T>(waiter.Task);
    }

    /// <summary>
    /// Waits, without taking anything, until an item is ready: completes at once when one is (scheduled items that have
    /// come due included), otherwise when an item is enqueued or a scheduled item comes due. A hint: by the time the
    /// caller dequeues, another consumer may have taken the item.
    /// </summary>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>A task that completes when an item is ready; canceled with <paramref name="cancellationToken"/>.</returns>
    /// <exception cref="ObjectDisposedException">The queue was disposed, before the call or while waiting.</exception>
    public Task WaitForReadyAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        var now = _time.GetUtcNow();
        var handoffs = default(Handoffs);
        Watcher? watcher = null;
        bool syncTimer;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            PromoteDueLocked(now, ref handoffs);
            HandOffLocked(ref handoffs); // consumers already waiting come first
            if (_ready.Count == 0)
            {
                watcher = new Watcher();
                _watchers.Add(watcher);
            }

            syncTimer = ClaimTimerSyncLocked();
        }

        Finish(in handoffs, syncTimer);
        if (watcher is null)
        {
            return Task.CompletedTask;
        }

        if (cancellationToken.CanBeCanceled)
        {
            // Outside the lock: a token cancelled meanwhile runs the callback inline, and the callback takes the lock.
            var registration = cancellationToken.UnsafeRegister(
                static (state, token) =>
                {
                    var (queue, cancelled) = ((TaskQueue<T>, Watcher))state!;
                    bool removed;
                    lock (queue._gate)
                    {
                        removed = queue._watchers.Remove(cancelled);
                    }

                    if (removed)
                    {
                        cancelled.TrySetCanceled(token);
                    }
                },
                (this, watcher));
            lock (_gate)
            {
                if (_watchers.Contains(watcher))
                {
                    watcher.Registration = registration; // read by whoever completes the watcher, under the lock
                    registration = default;
                }
            }

            registration.Unregister(); // a no-op unless the watcher was already completed
        }

        return watcher.Task;
    }

    /// <summary>
    /// Stops the timer and fails every waiting <see cref="DequeueAsync"/> with an <see cref="ObjectDisposedException"/>.
    /// Queued items stay where they are: <see cref="TryDequeue"/> and the counts keep working, so they can be drained;
    /// <see cref="Enqueue"/>, <see cref="Schedule"/> and <see cref="DequeueAsync"/> throw.
    /// </summary>
    public void Dispose()
    {
        List<Waiter>? abandoned = null;
        List<Watcher>? watchers = null;
        ITimer? timer = null;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (!_timerSyncing)
            {
                // Otherwise the syncing thread sees _disposed and disposes the timer itself.
                timer = _timer;
                _timer = null;
            }

            if (_waiters.Count > 0)
            {
                abandoned = [.. _waiters];
                _waiters.Clear(); // detaches every node: their cancellations now find nothing to remove
            }

            if (_watchers.Count > 0)
            {
                watchers = [.. _watchers];
                _watchers.Clear();
            }
        }

        if (watchers is not null)
        {
            foreach (var watcher in watchers)
            {
                watcher.Registration.Unregister();
                watcher.TrySetException(new ObjectDisposedException(GetType().FullName, "The queue was disposed while this caller waited for an item to be ready."));
            }
        }

        timer?.Dispose();
        if (abandoned is not null)
        {
            foreach (var waiter in abandoned)
            {
                waiter.Registration.Unregister();
                waiter.TrySetException(new ObjectDisposedException(GetType().FullName, "The queue was disposed while this consumer waited for an item."));
            }
        }
    }

    /// <summary>Reads state under the lock after making due items ready (and handing them to waiting consumers).</summary>
    private TResult Observe<TResult>(Func<TaskQueue<T>, TResult> read)
    {
        var now = _time.GetUtcNow();
        var handoffs = default(Handoffs);
        TResult result;
        bool syncTimer;
        lock (_gate)
        {
            PromoteDueLocked(now, ref handoffs);
            HandOffLocked(ref handoffs);
            result = read(this);
            syncTimer = ClaimTimerSyncLocked();
        }

        Finish(in handoffs, syncTimer);
        return result;
    }

    /// <summary>Moves every scheduled item due at <paramref name="now"/> to the ready items, earliest due first.</summary>
    private void PromoteDueLocked(DateTimeOffset now, ref Handoffs handoffs)
    {
        while (_scheduled.TryPeek(out var item, out var key) && key.DueAt <= now)
        {
            _scheduled.Dequeue();
            _ready.Enqueue(item);
            _timerDirty = true; // the earliest due time changed
            WakeWatchersLocked(ref handoffs);
        }
    }

    /// <summary>
    /// An item became ready: every <see cref="WaitForReadyAsync"/> is woken (as a hint; a consumer may take the item
    /// first), after the lock is released.
    /// </summary>
    private void WakeWatchersLocked(ref Handoffs handoffs)
    {
        if (_watchers.Count == 0)
        {
            return;
        }

        handoffs.Wake([.. _watchers]);
        _watchers.Clear();
    }

    /// <summary>Gives ready items to waiting consumers, oldest of each first; they are completed after the lock is released.</summary>
    private void HandOffLocked(ref Handoffs handoffs)
    {
        while (_ready.Count > 0 && _waiters.First is { } node)
        {
            _waiters.RemoveFirst(); // leaving the list is what gives this waiter the item: its cancellation no longer can
            node.Value.Item = _ready.Dequeue();
            handoffs.Add(node.Value);
        }
    }

    /// <summary>Whether this thread should re-arm the timer (after releasing the lock): the schedule changed and nobody else is at it.</summary>
    private bool ClaimTimerSyncLocked()
    {
        if (!_timerDirty || _timerSyncing || _disposed)
        {
            return false;
        }

        _timerSyncing = true;
        return true;
    }

    private void Finish(in Handoffs handoffs, bool syncTimer)
    {
        handoffs.Complete();
        if (syncTimer)
        {
            SyncTimer();
        }
    }

    /// <summary>
    /// Arms the timer for the earliest due time (or disarms it), outside the lock, looping until the schedule stops
    /// changing. Runs on one thread at a time; a timer callback that a provider runs inline from here just marks the
    /// schedule changed, and this loop arms the timer again.
    /// </summary>
    private void SyncTimer()
    {
        while (true)
        {
            DateTimeOffset? target = null;
            ITimer? retired = null;
            bool disposed;
            lock (_gate)
            {
                disposed = _disposed;
                if (disposed)
                {
                    retired = _timer;
                    _timer = null;
                    _timerSyncing = false;
                }
                else if (!_timerDirty)
                {
                    _timerSyncing = false;
                    return;
                }
                else
                {
                    _timerDirty = false;
                    if (_scheduled.TryPeek(out _, out var head))
                    {
                        target = head.DueAt;
                    }
                }
            }

            if (disposed)
            {
                retired?.Dispose();
                return;
            }

            try
            {
                Arm(target);
            }
            catch
            {
                lock (_gate)
                {
                    _timerSyncing = false;
                    _timerDirty = true; // the next operation tries again
                }

                throw;
            }
        }
    }

    private void Arm(DateTimeOffset? target)
    {
        if (target is null)
        {
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var now = _time.GetUtcNow();
        if (target.Value <= now)
        {
            // Already due (time passed while no operation looked): make it ready here rather than through a zero-length
            // timer, so progress never depends on the timer and the clock agreeing. The caller's loop then arms for the next.
            MakeDueReady(now);
            return;
        }

        var due = DueTimeUntil(target.Value - now);
        if (_timer is not null)
        {
            _timer.Change(due, Timeout.InfiniteTimeSpan);
            return;
        }

        // The callback must not run with the execution context of whichever producer happened to arm the timer first.
        var restoreFlow = !ExecutionContext.IsFlowSuppressed();
        if (restoreFlow)
        {
            ExecutionContext.SuppressFlow();
        }

        try
        {
            _timer = _time.CreateTimer(static state => ((TaskQueue<T>)state!).OnTimer(), this, due, Timeout.InfiniteTimeSpan);
        }
        finally
        {
            if (restoreFlow)
            {
                ExecutionContext.RestoreFlow();
            }
        }
    }

    /// <summary>
    /// Makes due items ready for <see cref="SyncTimer"/>. This moves at least the head it just read, unless another thread
    /// moved it first; either way the schedule is marked changed, so the loop goes round again.
    /// </summary>
    private void MakeDueReady(DateTimeOffset now)
    {
        var handoffs = default(Handoffs);
        lock (_gate)
        {
            PromoteDueLocked(now, ref handoffs);
            HandOffLocked(ref handoffs);
        }

        handoffs.Complete();
    }

    /// <summary>
    /// The timer's due time for a wait: rounded up to whole milliseconds (timers truncate to milliseconds, and firing
    /// early would only arm the timer again), and at most what a timer accepts (a later due time is reached by firing
    /// early and arming again).
    /// </summary>
    private static TimeSpan DueTimeUntil(TimeSpan wait)
    {
        if (wait <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        if (wait >= MaxTimerDueTime)
        {
            return MaxTimerDueTime;
        }

        var milliseconds = (wait.Ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
        return TimeSpan.FromMilliseconds(milliseconds);
    }

    private void OnTimer()
    {
        var now = _time.GetUtcNow();
        var handoffs = default(Handoffs);
        bool syncTimer;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            PromoteDueLocked(now, ref handoffs);
            _timerDirty = true; // the one-shot timer is spent (or fired early): arm it for whatever is earliest now
            HandOffLocked(ref handoffs);
            syncTimer = ClaimTimerSyncLocked();
        }

        Finish(in handoffs, syncTimer);
    }

    private void RegisterCancellation(Waiter waiter, CancellationToken cancellationToken)
    {
        // Outside the lock: a token cancelled meanwhile runs the callback inline, and the callback takes the lock.
        var registration = cancellationToken.UnsafeRegister(
            static (state, _) =>
            {
                var cancelled = (Waiter)state!;
                cancelled.Owner.Cancel(cancelled);
            },
            waiter);

        bool waiting;
        lock (_gate)
        {
            waiting = waiter.Node.List is not null;
            if (waiting)
            {
                waiter.Registration = registration; // read by whoever removes the waiter, under the lock
            }
        }

        if (!waiting)
        {
            registration.Unregister(); // already handed an item, cancelled or abandoned
        }
    }

    private void Cancel(Waiter waiter)
    {
        bool removed;
        lock (_gate)
        {
            removed = waiter.Node.List is not null;
            if (removed)
            {
                _waiters.Remove(waiter.Node);
            }
        }

        // When the waiter was already handed an item, it keeps it: the item is not lost, and the wait succeeds.
        if (removed)
        {
            waiter.TrySetCanceled(waiter.Token);
        }
    }

    /// <summary>A consumer waiting in <see cref="DequeueAsync"/>. Whoever removes it from the list completes it.</summary>
    private sealed class Waiter : TaskCompletionSource<T>
    {
        public Waiter(TaskQueue<T> owner, CancellationToken token)
            : base(TaskCreationOptions.RunContinuationsAsynchronously)
        {
            Owner = owner;
            Token = token;
            Node = new LinkedListNode<Waiter>(this);
        }

        public TaskQueue<T> Owner { get; }

        public CancellationToken Token { get; }

        /// <summary>In the queue's list while the consumer waits.</summary>
        public LinkedListNode<Waiter> Node { get; }

        /// <summary>Written under the lock while the waiter is listed; read by whoever removed it.</summary>
        public CancellationTokenRegistration Registration { get; set; }

        /// <summary>The item handed over, set under the lock when the waiter is removed for it.</summary>
        public T? Item { get; set; }
    }

    /// <summary>A caller of <see cref="WaitForReadyAsync"/>. Whoever removes it from the list completes it.</summary>
    private sealed class Watcher() : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        /// <summary>Written under the lock while the watcher is listed; read by whoever removed it.</summary>
        public CancellationTokenRegistration Registration { get; set; }
    }

    /// <summary>
    /// Waiters handed an item, and watchers woken, under the lock, completed once it is released. The first waiter
    /// needs no list.
    /// </summary>
    private struct Handoffs
    {
        private Waiter? _first;
        private List<Waiter>? _more;
        private List<Watcher>? _watchers;

        public void Wake(List<Watcher> watchers)
        {
            if (_watchers is null)
            {
                _watchers = watchers;
            }
            else
            {
                _watchers.AddRange(watchers);
            }
        }

        public void Add(Waiter waiter)
        {
            if (_first is null)
            {
                _first = waiter;
            }
            else
            {
                (_more ??= []).Add(waiter);
            }
        }

        public readonly void Complete()
        {
            if (_watchers is not null)
            {
                foreach (var watcher in _watchers)
                {
                    watcher.Registration.Unregister();
                    watcher.TrySetResult();
                }
            }

            if (_first is null)
            {
                return;
            }

            Deliver(_first);
            if (_more is not null)
            {
                foreach (var waiter in _more)
                {
                    Deliver(waiter);
                }
            }
        }

        private static void Deliver(Waiter waiter)
        {
            waiter.Registration.Unregister();
            var delivered = waiter.TrySetResult(waiter.Item!);
            Debug.Assert(delivered, "Only the thread that removed a waiter from the list completes it.");
        }
    }
}
