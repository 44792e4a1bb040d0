using System.Collections.Concurrent;

namespace Weaver;

/// <summary>
/// Claims keyed by <typeparamref name="TKey"/>: at most one live lease per key, each with an epoch (fencing token)
/// greater than every earlier epoch of that key. Lock-free and linearizable: each operation on a key is one
/// compare-and-exchange of that key's <see cref="ClaimWord"/>, which holds the epoch and the deadline together.
/// Claim, renew and release of a key the table already holds allocate nothing.
/// </summary>
/// <remarks>
/// <para>Time comes only from the <see cref="TimeProvider"/>, as milliseconds since the table was created (its
/// monotonic timestamp, so wall-clock changes do not move leases; with <see cref="TimeProvider.System"/>, the system's
/// millisecond tick count, see <see cref="LeaseClock"/>). A lease is live while
/// <c>now &lt;= lastHeartbeat + options.StaleAfter</c>.</para>
/// <para>A claim on a key whose lease is stale takes it over in the same compare-and-exchange, with the next epoch.
/// The holder is recorded in a second word, a stamp of (epoch, interned owner id), published just after that exchange
/// by a compare-and-exchange that never lets an older epoch replace a newer one. A name is trusted only when its
/// stamp's epoch is the claim word's: a conflict never names the wrong holder (for an instant after a claim it may
/// name none), and checks of a lease compare its owner with the holder of its own epoch.</para>
/// </remarks>
/// <typeparam name="TKey">The kind of key (a task id, a resource path).</typeparam>
/// <remarks>Open only so that each task machine's generated <c>ClaimTable</c> can name its key type; it adds no behaviour.</remarks>
public class ClaimTable<TKey>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Slot> _slots;
    private readonly ConcurrentDictionary<string, InternedOwner> _ownerIds = new(StringComparer.Ordinal);
    private readonly Lock _ownersGate = new();
    private string[] _owners = new string[16];
    private int _ownerCount;
    private readonly LeaseClock _clock;
    private readonly long _staleAfterMs;

    // The owner this thread interned last, in any table of this key type: a worker that claims again and again skips
    // the name lookup. Per thread, so that workers on other cores never write to a line this one reads (ADR 0026). It
    // names its table by number, not by reference, so a thread never keeps a table it no longer uses alive.
    [ThreadStatic]
    private static InternedOwner? t_recentOwner;
    private static long s_lastTableId;
    private readonly long _tableId = Interlocked.Increment(ref s_lastTableId);

    /// <summary>Creates an empty table.</summary>
    /// <param name="options">Lease timing; validated here. <see cref="LeaseOptions.Default"/> when null.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="comparer">How keys compare; the default comparer when null.</param>
    public ClaimTable(LeaseOptions? options = null, TimeProvider? timeProvider = null, IEqualityComparer<TKey>? comparer = null)
    {
        Options = (options ?? LeaseOptions.Default).Validate();
        _clock = new LeaseClock(timeProvider ?? TimeProvider.System);
        _slots = new ConcurrentDictionary<TKey, Slot>(comparer);
        _staleAfterMs = (long)Options.StaleAfter.TotalMilliseconds;
    }

    /// <summary>The lease timing this table applies.</summary>
    public LeaseOptions Options { get; }

    /// <summary>
    /// Claims <paramref name="key"/> for <paramref name="owner"/> if nobody holds it, its holder released it, or its
    /// lease is stale (taken over atomically, with the next epoch).
    /// </summary>
    /// <param name="key">The key to claim.</param>
    /// <param name="owner">Who claims it; not empty.</param>
    /// <param name="lease">The new lease on success; on a conflict, the current holder's lease.</param>
    /// <returns><see langword="true"/> when the claim was granted.</returns>
    public bool TryClaim(TKey key, string owner, out Lease<TKey> lease)
    {
        ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var slot = _slots.GetOrAdd(key, static _ => new Slot());
        var ownerId = InternOwner(owner);
        var now = NowMs();
        var deadline = DeadlineFrom(now);
        while (true)
        {
            var word = Volatile.Read(ref slot.Word);
            if (ClaimWord.IsLive(word, now))
            {
                if (TryDescribe(key, slot, word, out lease))
                {
                    return false;
                }

                continue; // the claim moved on while we read its holder: decide again
            }

            var epoch = ClaimWord.Epoch(word) + 1;
            if (epoch > ClaimWord.MaxEpoch)
            {
                throw new InvalidOperationException(
                    $"'{key}' has been claimed {ClaimWord.MaxEpoch} times, the most one key's epochs can count; use a new key.");
            }

            if (Interlocked.CompareExchange(ref slot.Word, ClaimWord.Pack(epoch, deadline), word) == word)
            {
                PublishOwner(slot, epoch, ownerId);
                lease = new Lease<TKey>(key, owner, epoch, ToUtc(deadline));
                return true;
            }

            // Another claim, renewal or release changed the word first: decide again from its new value.
        }
    }

    /// <summary>
    /// Renews (heartbeats) a live lease: succeeds only for its owner with the current epoch, before it went stale.
    /// </summary>
    /// <param name="lease">The lease to renew.</param>
    /// <param name="renewed">The lease with its new expiry, on success.</param>
    /// <returns><see langword="false"/>, changing nothing, when the lease is not the key's current live lease.</returns>
    public bool TryRenew(in Lease<TKey> lease, out Lease<TKey> renewed)
    {
        var now = NowMs();
        var deadline = DeadlineFrom(now);
        renewed = lease;
        if (!TryGetSlot(lease, out var slot))
        {
            return false;
        }

        while (true)
        {
            var word = Volatile.Read(ref slot.Word);
            if (!IsCurrent(slot, word, lease, now))
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref slot.Word, ClaimWord.Pack(lease.Epoch, deadline), word) == word)
            {
                renewed = lease with { ExpiresAt = ToUtc(deadline) };
                return true;
            }
        }
    }

    /// <summary>Releases a live lease so the key can be claimed again (with the next epoch).</summary>
    /// <param name="lease">The lease to release.</param>
    /// <returns><see langword="false"/>, changing nothing, when the lease is not the key's current live lease.</returns>
    public bool TryRelease(in Lease<TKey> lease)
    {
        var now = NowMs();
        if (!TryGetSlot(lease, out var slot))
        {
            return false;
        }

        while (true)
        {
            var word = Volatile.Read(ref slot.Word);
            if (!IsCurrent(slot, word, lease, now))
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref slot.Word, ClaimWord.Pack(lease.Epoch, 0), word) == word)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="lease"/> is the key's current live lease: the check every fenced write makes. The
    /// answer holds at the instant of the read; a write that must not race a reclaim is made with
    /// <see cref="TryRelease"/> or under the store's own conditional write.
    /// </summary>
    /// <param name="lease">The lease to check.</param>
    /// <returns>Whether its owner still holds it, with this epoch, and it is not stale.</returns>
    public bool IsCurrent(in Lease<TKey> lease) =>
        TryGetSlot(lease, out var slot) && IsCurrent(slot, Volatile.Read(ref slot.Word), lease, NowMs());

    /// <summary>
    /// Frees <paramref name="key"/> if its lease is stale, so a zombie holder's later writes fail; the epoch stays,
    /// and the next claim gets a higher one.
    /// </summary>
    /// <param name="key">The key to inspect.</param>
    /// <param name="expired">The stale lease that was freed.</param>
    /// <returns><see langword="true"/> when a stale lease was freed.</returns>
    public bool TryExpire(TKey key, out Lease<TKey> expired)
    {
        ThrowIfNull(key);
        expired = default;
        if (!_slots.TryGetValue(key, out var slot))
        {
            return false;
        }

        var now = NowMs();
        while (true)
        {
            var word = Volatile.Read(ref slot.Word);
            if (ClaimWord.Deadline(word) == 0 || ClaimWord.IsLive(word, now))
            {
                return false;
            }

            // Name the stale holder before freeing the key: right after, a new claim may stamp its own name.
            if (TryDescribe(key, slot, word, out var stale)
                && Interlocked.CompareExchange(ref slot.Word, ClaimWord.Pack(ClaimWord.Epoch(word), 0), word) == word)
            {
                expired = stale;
                return true;
            }
        }
    }

    /// <summary>The current holder of <paramref name="key"/>, if its lease is live.</summary>
    /// <param name="key">The key to inspect.</param>
    /// <param name="lease">The live lease, when there is one.</param>
    /// <returns>Whether the key is held by a live lease.</returns>
    public bool TryGetHolder(TKey key, out Lease<TKey> lease)
    {
        ThrowIfNull(key);
        lease = default;
        if (!_slots.TryGetValue(key, out var slot))
        {
            return false;
        }

        var now = NowMs();
        while (true)
        {
            var word = Volatile.Read(ref slot.Word);
            if (!ClaimWord.IsLive(word, now))
            {
                return false;
            }

            if (TryDescribe(key, slot, word, out lease))
            {
                return true;
            }
        }
    }

    /// <summary>The leases that are held but stale now: what a sweeper frees with <see cref="TryExpire"/>.</summary>
    /// <returns>A snapshot; it may be out of date by the time it is read.</returns>
    public IReadOnlyList<Lease<TKey>> StaleLeases()
    {
        var now = NowMs();
        var stale = new List<Lease<TKey>>();
        foreach (var (key, slot) in _slots)
        {
            var word = Volatile.Read(ref slot.Word);
            if (ClaimWord.Deadline(word) != 0 && !ClaimWord.IsLive(word, now) && TryDescribe(key, slot, word, out var lease))
            {
                stale.Add(lease);
            }
        }

        return stale;
    }

    /// <summary>The highest epoch ever given for <paramref name="key"/> (0 if it was never claimed).</summary>
    /// <param name="key">The key to inspect.</param>
    /// <returns>The epoch of its latest claim.</returns>
    public long LatestEpoch(TKey key) =>
        _slots.TryGetValue(key, out var slot) ? ClaimWord.Epoch(Volatile.Read(ref slot.Word)) : 0;

    private bool IsCurrent(Slot slot, long word, in Lease<TKey> lease, long now) =>
        ClaimWord.Epoch(word) == lease.Epoch
        && ClaimWord.IsLive(word, now)
        && string.Equals(OwnerOf(slot, lease.Epoch), lease.Owner, StringComparison.Ordinal);

    /// <summary>Names the holder of <paramref name="epoch"/>, unless a newer epoch's holder is already named.</summary>
    private static void PublishOwner(Slot slot, long epoch, int ownerId)
    {
        var stamp = ClaimWord.PackOwner(epoch, ownerId);
        var observed = Volatile.Read(ref slot.OwnerStamp);
        while (ClaimWord.OwnerEpoch(observed) < epoch)
        {
            var prior = Interlocked.CompareExchange(ref slot.OwnerStamp, stamp, observed);
            if (prior == observed)
            {
                return;
            }

            observed = prior;
        }
    }

    /// <summary>The holder of <paramref name="epoch"/>, or null while it is not named yet (or a newer one already is).</summary>
    private string? OwnerOf(Slot slot, long epoch)
    {
        var stamp = Volatile.Read(ref slot.OwnerStamp);
        return ClaimWord.OwnerEpoch(stamp) == epoch ? Volatile.Read(ref _owners)[ClaimWord.OwnerId(stamp)] : null;
    }

    /// <summary>A small id per distinct owner name, so a claim stamps its holder without allocating.</summary>
    private int InternOwner(string owner)
    {
        if (t_recentOwner is { } recent && recent.TableId == _tableId && ReferenceEquals(recent.Name, owner))
        {
            return recent.Id;
        }

        var interned = LookUpOwner(owner);
        t_recentOwner = interned;
        return interned.Id;
    }

    private InternedOwner LookUpOwner(string owner)
    {
        if (_ownerIds.TryGetValue(owner, out var interned))
        {
            return interned;
        }

        lock (_ownersGate)
        {
            if (_ownerIds.TryGetValue(owner, out interned))
            {
                return interned;
            }

            if (_ownerCount > ClaimWord.MaxOwnerId)
            {
                throw new InvalidOperationException($"This claim table has seen {ClaimWord.MaxOwnerId + 1} owner names, the most it can tell apart; reuse worker names.");
            }

            if (_ownerCount == _owners.Length)
            {
                var grown = new string[_owners.Length * 2];
                Array.Copy(_owners, grown, _ownerCount);
                Volatile.Write(ref _owners, grown);
            }

            interned = new InternedOwner(_tableId, owner, _ownerCount++);
            _owners[interned.Id] = owner;
            _ownerIds[owner] = interned;
            return interned;
        }
    }

    private bool TryGetSlot(in Lease<TKey> lease, out Slot slot)
    {
        if (lease.Key is null || lease.Owner is null)
        {
            throw new ArgumentException("The lease is empty (default); pass a lease this table granted.", nameof(lease));
        }

        return _slots.TryGetValue(lease.Key, out slot!);
    }

    /// <summary>
    /// The lease <paramref name="word"/> describes, named by the holder of its epoch. A winner stamps its name a few
    /// instructions after its exchange, so this waits for that stamp; it returns false when a newer epoch's stamp
    /// shows the claim has moved on since <paramref name="word"/> was read.
    /// </summary>
    private bool TryDescribe(TKey key, Slot slot, long word, out Lease<TKey> lease)
    {
        var epoch = ClaimWord.Epoch(word);
        var spin = default(SpinWait);
        while (true)
        {
            var stamp = Volatile.Read(ref slot.OwnerStamp);
            var stampEpoch = ClaimWord.OwnerEpoch(stamp);
            if (stampEpoch == epoch)
            {
                lease = new Lease<TKey>(key, Volatile.Read(ref _owners)[ClaimWord.OwnerId(stamp)], epoch, ToUtc(ClaimWord.Deadline(word)));
                return true;
            }

            if (stampEpoch > epoch)
            {
                lease = default;
                return false;
            }

            spin.SpinOnce();
        }
    }

    // Never before the origin (the clock sees to it): a negative time would corrupt the word's epoch bits.
    private long NowMs() => _clock.NowMs();

    /// <summary>
    /// A null check that does not box a value-type key (even unoptimized code boxes for <c>key is null</c>), so
    /// claims of such keys allocate nothing.
    /// </summary>
    private static void ThrowIfNull(TKey key)
    {
        if (!typeof(TKey).IsValueType && key is null)
        {
            throw new ArgumentNullException(nameof(key));
        }
    }

    private long DeadlineFrom(long now)
    {
        var deadline = now + _staleAfterMs;
        if (deadline > ClaimWord.MaxDeadline)
        {
            throw new InvalidOperationException("This claim table has run for 17 years, longer than its lease clock counts; create a new one.");
        }

        return deadline;
    }

    private DateTimeOffset ToUtc(long ms) => _clock.ToUtc(ms);

    /// <summary>An owner name and its interned id in the table numbered <paramref name="tableId"/>, made once per name.</summary>
    private sealed class InternedOwner(long tableId, string name, int id)
    {
        public long TableId { get; } = tableId;

        public string Name { get; } = name;

        public int Id { get; } = id;
    }

    private sealed class Slot
    {
        /// <summary>The claim: epoch and deadline (<see cref="ClaimWord"/>).</summary>
        public long Word;

        /// <summary>Who holds which epoch: (epoch, interned owner id).</summary>
        public long OwnerStamp;
    }
}
