using System.Diagnostics.CodeAnalysis;

namespace Weaver;

/// <summary>
/// All-or-nothing locks on sets of resources (file paths, names), held under a lease with heartbeats. A task gets every
/// resource it asks for or none of them; a conflict names each holder; a holder that stops heartbeating is released
/// when someone else asks for its resources, by <see cref="ReleaseStale"/>, or by the timer of a task waiting for it.
/// </summary>
/// <remarks>
/// <para>Each acquisition gets an epoch (fencing token) greater than every earlier epoch of each of its resources,
/// never reused, also across release and reacquisition: the same rule as task leases (<see cref="ClaimTable{TKey}"/>).
/// Renewals and releases succeed only for the current holder with the current epoch of a live lease.</para>
/// <para>A lease is stale when <c>now - lastHeartbeat &gt; StaleAfter</c> (<see cref="LeaseOptions.StaleAfter"/>), to
/// the tick; at exactly that threshold it is live. Time is the <see cref="TimeProvider"/>'s monotonic timestamp since
/// the manager was created, shown as UTC instants, so wall-clock changes do not move leases.</para>
/// <para>Every operation is atomic under one short lock (ADR 0012), never held across an await or while a waiting task
/// is woken. Because a task never holds some resources while waiting for others, locks cannot deadlock.</para>
/// <para>A task asking again for resources it already holds is treated like any other holder: it gets a conflict
/// naming itself. Locks are not re-entrant, so a task cannot release resources it believes it holds twice.</para>
/// </remarks>
public sealed class ResourceLockManager : IDisposable
{
    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly long _originTimestamp;
    private readonly DateTimeOffset _originUtc;
    private readonly TimeSpan _staleAfter;
    private readonly Dictionary<ResourceKey, Holding> _holders = [];
    private readonly HashSet<Holding> _holdings = [];
    private readonly Dictionary<ResourceKey, long> _latestEpochs = [];
    private readonly Dictionary<ResourceKey, List<Waiter>> _waiters = [];
    private readonly List<ResourceLockEvent> _history = [];
    private ITimer? _timer;
    private bool _disposed;

    /// <summary>Creates a manager with nothing held.</summary>
    /// <param name="options">Lease timing and key case; validated here. <see cref="ResourceLockOptions"/>'s defaults when null.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public ResourceLockManager(ResourceLockOptions? options = null, TimeProvider? timeProvider = null)
    {
        Options = (options ?? new ResourceLockOptions()).Validate();
        _time = timeProvider ?? TimeProvider.System;
        _originTimestamp = _time.GetTimestamp();
        _originUtc = _time.GetUtcNow().ToUniversalTime();
        _staleAfter = Options.Leases.StaleAfter;
    }

    /// <summary>The lease timing and key case this manager applies.</summary>
    public ResourceLockOptions Options { get; }

    /// <summary>
    /// Acquires every resource in <paramref name="resources"/> for <paramref name="taskId"/>, or none of them. Holders of
    /// those resources that are stale are released first (recorded as <see cref="ResourceLockEventKind.StaleReleased"/>).
    /// </summary>
    /// <param name="taskId">The task that needs the resources; not empty.</param>
    /// <param name="owner">The worker that runs the task; not empty.</param>
    /// <param name="resources">The resource keys, normalized (<see cref="ResourceKey"/>); at least one. Duplicates count once.</param>
    /// <returns>The lease, or every requested resource that is held, with its holder.</returns>
    /// <exception cref="ArgumentException">An id is empty, no resources were given or a key is invalid; nothing was changed.</exception>
    public ResourceLockResult TryAcquire(string taskId, string owner, IEnumerable<string> resources)
    {
        RequireIds(taskId, owner);
        var keys = NormalizeAll(resources);
        List<Waiter>? woken = null;
        ResourceLockResult result;
        lock (_gate)
        {
            var now = Now();
            ReleaseStaleHoldersOf(keys, now, $"when task '{taskId}' asked for them", ref woken);
            var conflicts = new List<ResourceConflict>();
            foreach (var key in keys)
            {
                if (_holders.TryGetValue(key, out var holder))
                {
                    conflicts.Add(new ResourceConflict(key, holder.TaskId, holder.Owner, holder.Epoch, ToUtc(holder.Deadline + OneTick)));
                }
            }

            if (conflicts.Count > 0)
            {
                Record(now, ResourceLockEventKind.Conflict, taskId, owner, keys.AsReadOnly(), 0, string.Join("; ", conflicts));
                result = ResourceLockResult.Refused(conflicts);
            }
            else
            {
                var epoch = 1 + keys.Max(key => _latestEpochs.GetValueOrDefault(key));
                var holding = new Holding(taskId, owner, epoch, keys.AsReadOnly(), now + _staleAfter);
                holding.Lease = new ResourceLease(taskId, owner, epoch, holding.Resources, ToUtc(holding.Deadline));
                foreach (var key in keys)
                {
                    _latestEpochs[key] = epoch;
                    _holders[key] = holding;
                }

                _holdings.Add(holding);
                Record(now, ResourceLockEventKind.Acquired, taskId, owner, holding.Resources, epoch, $"acquired until {holding.Lease.ExpiresAt:O}");
                result = ResourceLockResult.Granted(holding.Lease);
            }
        }

        Wake(woken);
        if (!result.Acquired)
        {
            WeaverMetrics.LockConflict();
        }

        return result;
    }

    /// <summary>
    /// Renews (heartbeats) a live lease: succeeds only for the current holder with the current epoch, before the lease
    /// went stale.
    /// </summary>
    /// <param name="lease">The lease to renew.</param>
    /// <param name="renewed">The lease with its new expiry, on success.</param>
    /// <returns><see langword="false"/>, changing nothing, when <paramref name="lease"/> is not the current live lease of its resources.</returns>
    public bool TryRenew(ResourceLease lease, [NotNullWhen(true)] out ResourceLease? renewed)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_gate)
        {
            var now = Now();
            if (!TryGetCurrent(lease, now, out var holding))
            {
                renewed = null;
                return false;
            }

            holding.Deadline = now + _staleAfter;
            holding.Lease = holding.Lease with { ExpiresAt = ToUtc(holding.Deadline) };
            Record(now, ResourceLockEventKind.Renewed, lease.TaskId, lease.Owner, holding.Resources, holding.Epoch, $"renewed until {holding.Lease.ExpiresAt:O}");
            renewed = holding.Lease;
            return true;
        }
    }

    /// <summary>Releases a live lease, so its resources can be acquired again (with a higher epoch).</summary>
    /// <param name="lease">The lease to release.</param>
    /// <returns><see langword="false"/>, changing nothing, when <paramref name="lease"/> is not the current live lease of its resources.</returns>
    public bool TryRelease(ResourceLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        List<Waiter>? woken = null;
        lock (_gate)
        {
            var now = Now();
            if (!TryGetCurrent(lease, now, out var holding))
            {
                return false;
            }

            Remove(holding, now, ResourceLockEventKind.Released, "released by its holder", ref woken);
        }

        Wake(woken);
        return true;
    }

    /// <summary>The sweeper: releases every lease that is stale now.</summary>
    /// <returns>How many leases were released.</returns>
    public int ReleaseStale()
    {
        List<Waiter>? woken = null;
        int released;
        lock (_gate)
        {
            released = ReleaseAllStale(Now(), "by the sweeper", ref woken);
        }

        Wake(woken);
        return released;
    }

    /// <summary>The live lease that holds <paramref name="resource"/>, if any (a stale one not yet released is not reported).</summary>
    /// <param name="resource">The resource key, normalized as for <see cref="TryAcquire"/>.</param>
    /// <param name="holder">The holder's lease, when there is one.</param>
    /// <returns>Whether a live lease holds the resource.</returns>
    /// <exception cref="ArgumentException">The key is invalid.</exception>
    public bool TryGetHolder(string resource, [NotNullWhen(true)] out ResourceLease? holder)
    {
        var key = NormalizeOne(resource, nameof(resource));
        lock (_gate)
        {
            var now = Now();
            holder = _holders.TryGetValue(key, out var holding) && IsLive(holding, now) ? holding.Lease : null;
            return holder is not null;
        }
    }

    /// <summary>Every live lease (a stale one not yet released is not reported), in order of its first resource.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<ResourceLease> Held()
    {
        lock (_gate)
        {
            var now = Now();
            return [.. _holdings.Where(h => IsLive(h, now)).Select(h => h.Lease).OrderBy(l => l.Resources[0])];
        }
    }

    /// <summary>
    /// Every acquisition, renewal, release, stale release and conflict, in the order they happened; only those of
    /// <paramref name="taskId"/> when given (a stale release is the stale holder's event).
    /// </summary>
    /// <param name="taskId">The task whose events to return; all tasks' when null.</param>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<ResourceLockEvent> History(string? taskId = null)
    {
        lock (_gate)
        {
            return taskId is null ? [.. _history] : [.. _history.Where(e => string.Equals(e.TaskId, taskId, StringComparison.Ordinal))];
        }
    }

    /// <summary>
    /// Completes when any resource of <paramref name="conflicts"/> is released (by its holder or as stale), or when its
    /// holder becomes stale (the manager then releases it on a <see cref="TimeProvider"/> timer). Completes at once when
    /// a conflict is already outdated: its resource is free or held under another epoch. Then try to acquire again.
    /// </summary>
    /// <param name="conflicts">The conflicts of a failed <see cref="TryAcquire"/>; at least one.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when it is worth trying again; canceled with <paramref name="cancellationToken"/>.</returns>
    /// <exception cref="ArgumentException">No conflicts were given.</exception>
    /// <exception cref="ObjectDisposedException">The manager was disposed (a wait pending then fails with it too).</exception>
    public Task WaitForReleaseAsync(IReadOnlyList<ResourceConflict> conflicts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conflicts);
        if (conflicts.Count == 0 || conflicts.Any(c => c is null))
        {
            throw new ArgumentException(
                "Pass the conflicts of a failed TryAcquire (at least one, none null); there is nothing to wait for otherwise.", nameof(conflicts));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        List<Waiter>? woken = null;
        Waiter? waiter = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = Now();
            var keys = conflicts.Select(c => c.Resource).Distinct().ToArray();
            ReleaseStaleHoldersOf(keys, now, "when a task waited for them", ref woken);
            var outdated = conflicts.Any(c => !_holders.TryGetValue(c.Resource, out var holding) || holding.Epoch != c.HolderEpoch);
            if (!outdated)
            {
                waiter = new Waiter(keys);
                foreach (var key in keys)
                {
                    if (!_waiters.TryGetValue(key, out var list))
                    {
                        _waiters[key] = list = [];
                    }

                    list.Add(waiter);
                }

                ArmTimer(now);
            }
        }

        Wake(woken);
        return waiter is null ? Task.CompletedTask : AwaitRelease(waiter, cancellationToken);
    }

    /// <summary>Stops the stale timer and fails pending waits with <see cref="ObjectDisposedException"/>; the locks themselves keep working.</summary>
    public void Dispose()
    {
        List<Waiter> pending;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _timer?.Dispose();
            pending = [.. _waiters.Values.SelectMany(list => list).Distinct()];
            foreach (var waiter in pending)
            {
                waiter.Done = true;
            }

            _waiters.Clear();
        }

        foreach (var waiter in pending)
        {
            waiter.Completion.TrySetException(new ObjectDisposedException(nameof(ResourceLockManager)));
        }
    }

    private async Task AwaitRelease(Waiter waiter, CancellationToken cancellationToken)
    {
        // Registered after the waiter is published: if the token fires first, Cancel finds it and withdraws it.
        using (cancellationToken.Register(static state => ((Canceling)state!).Run(), new Canceling(this, waiter, cancellationToken)))
        {
            await waiter.Completion.Task.ConfigureAwait(false);
        }
    }

    private void Cancel(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (waiter.Done)
            {
                return;
            }

            Withdraw(waiter);
        }

        waiter.Completion.TrySetCanceled(cancellationToken);
    }

    private void OnTimer()
    {
        List<Waiter>? woken = null;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var now = Now();
            ReleaseAllStale(now, "by the timer of a task waiting for them", ref woken);
            ArmTimer(now);
        }

        Wake(woken);
    }

    /// <summary>Sets the timer to one tick after the earliest deadline among the holders that tasks wait for (or stops it).</summary>
    private void ArmTimer(TimeSpan now)
    {
        TimeSpan? earliest = null;
        foreach (var key in _waiters.Keys)
        {
            if (_holders.TryGetValue(key, out var holding) && (earliest is null || holding.Deadline < earliest))
            {
                earliest = holding.Deadline;
            }
        }

        if (earliest is null)
        {
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        _timer ??= _time.CreateTimer(static state => ((ResourceLockManager)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        // At least one tick ahead, so no timer (a fake clock's included) runs its callback inside this lock.
        var due = earliest.Value - now + OneTick;
        _timer.Change(due > OneTick ? due : OneTick, Timeout.InfiniteTimeSpan);
    }

    private int ReleaseAllStale(TimeSpan now, string reason, ref List<Waiter>? woken)
    {
        var stale = _holdings.Where(h => !IsLive(h, now)).OrderBy(h => h.Resources[0]).ToList();
        foreach (var holding in stale)
        {
            ReleaseAsStale(holding, now, reason, ref woken);
        }

        return stale.Count;
    }

    private void ReleaseStaleHoldersOf(IEnumerable<ResourceKey> keys, TimeSpan now, string reason, ref List<Waiter>? woken)
    {
        foreach (var key in keys)
        {
            if (_holders.TryGetValue(key, out var holding) && !IsLive(holding, now))
            {
                ReleaseAsStale(holding, now, reason, ref woken);
            }
        }
    }

    private void ReleaseAsStale(Holding holding, TimeSpan now, string reason, ref List<Waiter>? woken) =>
        Remove(holding, now, ResourceLockEventKind.StaleReleased,
            $"no heartbeat since {ToUtc(holding.Deadline - _staleAfter):O}, stale after {holding.Lease.ExpiresAt:O}; released {reason}", ref woken);

    private void Remove(Holding holding, TimeSpan now, ResourceLockEventKind kind, string detail, ref List<Waiter>? woken)
    {
        _holdings.Remove(holding);
        foreach (var key in holding.Resources)
        {
            _holders.Remove(key);
            if (_waiters.Remove(key, out var waiters))
            {
                foreach (var waiter in waiters)
                {
                    Withdraw(waiter);
                    (woken ??= []).Add(waiter);
                }
            }
        }

        Record(now, kind, holding.TaskId, holding.Owner, holding.Resources, holding.Epoch, detail);
    }

    /// <summary>Marks <paramref name="waiter"/> done and takes it off every resource it waits for.</summary>
    private void Withdraw(Waiter waiter)
    {
        waiter.Done = true;
        foreach (var key in waiter.Keys)
        {
            if (_waiters.TryGetValue(key, out var list) && list.Remove(waiter) && list.Count == 0)
            {
                _waiters.Remove(key);
            }
        }
    }

    /// <summary>Completes woken waits; called outside the lock, and their continuations run asynchronously.</summary>
    private static void Wake(List<Waiter>? woken)
    {
        if (woken is null)
        {
            return;
        }

        foreach (var waiter in woken)
        {
            waiter.Completion.TrySetResult();
        }
    }

    private bool TryGetCurrent(ResourceLease lease, TimeSpan now, [NotNullWhen(true)] out Holding? holding)
    {
        holding = null;
        if (lease.Resources is not { Count: > 0 } resources
            || !_holders.TryGetValue(resources[0], out var candidate)
            || candidate.Epoch != lease.Epoch
            || !string.Equals(candidate.TaskId, lease.TaskId, StringComparison.Ordinal)
            || !string.Equals(candidate.Owner, lease.Owner, StringComparison.Ordinal)
            || !candidate.Resources.SequenceEqual(resources)
            || !IsLive(candidate, now))
        {
            return false;
        }

        holding = candidate;
        return true;
    }

    private static bool IsLive(Holding holding, TimeSpan now) => now <= holding.Deadline;

    private void Record(TimeSpan now, ResourceLockEventKind kind, string taskId, string owner, IReadOnlyList<ResourceKey> resources, long epoch, string detail) =>
        _history.Add(new ResourceLockEvent(ToUtc(now), kind, taskId, owner, resources, epoch, detail));

    private static void RequireIds(string taskId, string owner)
    {
        if (string.IsNullOrEmpty(taskId))
        {
            throw new ArgumentException("The task id is null or empty; pass the id of the task that needs the resources.", nameof(taskId));
        }

        if (string.IsNullOrEmpty(owner))
        {
            throw new ArgumentException("The owner is null or empty; pass the id of the worker that runs the task.", nameof(owner));
        }
    }

    private ResourceKey[] NormalizeAll(IEnumerable<string> resources)
    {
        if (resources is null)
        {
            throw new ArgumentException("The resources are null; pass at least one resource key.", nameof(resources));
        }

        var keys = resources.Select(raw => NormalizeOne(raw, nameof(resources))).Distinct().Order().ToArray();
        if (keys.Length == 0)
        {
            throw new ArgumentException("No resources were given; pass at least one resource key (a path such as 'src/a.cs' or a name such as 'db:orders').", nameof(resources));
        }

        return keys;
    }

    private ResourceKey NormalizeOne(string raw, string parameter) =>
        ResourceKey.TryNormalize(raw, Options.KeyCase, out var key, out var error) ? key : throw new ArgumentException(error, parameter);

    // Never before the origin, even if a clock misbehaves.
    private TimeSpan Now()
    {
        var elapsed = _time.GetElapsedTime(_originTimestamp);
        return elapsed > TimeSpan.Zero ? elapsed : TimeSpan.Zero;
    }

    private DateTimeOffset ToUtc(TimeSpan sinceOrigin) => _originUtc + sinceOrigin;

    /// <summary>One acquisition: its holder, epoch, resources and deadline. Changed only under the lock.</summary>
    private sealed class Holding(string taskId, string owner, long epoch, IReadOnlyList<ResourceKey> resources, TimeSpan deadline)
    {
        public string TaskId { get; } = taskId;

        public string Owner { get; } = owner;

        public long Epoch { get; } = epoch;

        /// <summary>Read-only, since leases and history hand the same list out.</summary>
        public IReadOnlyList<ResourceKey> Resources { get; } = resources;

        /// <summary>The last heartbeat plus StaleAfter, since the manager's origin; live up to and including it.</summary>
        public TimeSpan Deadline { get; set; } = deadline;

        public ResourceLease Lease { get; set; } = null!;
    }

    /// <summary>A pending <see cref="WaitForReleaseAsync"/>. <see cref="Done"/> is read and written only under the lock.</summary>
    private sealed class Waiter(ResourceKey[] keys)
    {
        public ResourceKey[] Keys { get; } = keys;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Done { get; set; }
    }

    private sealed class Canceling(ResourceLockManager manager, Waiter waiter, CancellationToken cancellationToken)
    {
        public void Run() => manager.Cancel(waiter, cancellationToken);
    }
}
