namespace Weaver;

/// <summary>
/// The whole state of one key's claim in a single <see cref="long"/>, so that every change is one
/// <see cref="Interlocked.CompareExchange(ref long, long, long)"/>: the epoch in bits 39–62, the deadline in
/// the low 39 bits (milliseconds since the table's origin, 0 meaning "not held"); the sign bit stays clear.
/// </summary>
/// <remarks>
/// 24 bits allow 16,777,215 claims of one key; 39 bits of milliseconds allow a table to live 17 years. Both limits
/// are checked and give a clear error rather than wrapping.
/// </remarks>
internal static class ClaimWord
{
    public const int DeadlineBits = 39;
    public const long MaxDeadline = (1L << DeadlineBits) - 1;
    public const long MaxEpoch = (1L << (64 - DeadlineBits - 1)) - 1;

    public static long Pack(long epoch, long deadline) => (epoch << DeadlineBits) | deadline;

    public static long Epoch(long word) => word >>> DeadlineBits;

    public static long Deadline(long word) => word & MaxDeadline;

    /// <summary>The holder stamp: the epoch (high 40 bits) whose holder it names, and that holder's interned id (low 24 bits).</summary>
    public const int OwnerIdBits = 24;
    public const int MaxOwnerId = (1 << OwnerIdBits) - 1;

    public static long PackOwner(long epoch, int ownerId) => (epoch << OwnerIdBits) | (long)ownerId;

    public static long OwnerEpoch(long stamp) => stamp >>> OwnerIdBits;

    public static int OwnerId(long stamp) => (int)(stamp & MaxOwnerId);

    /// <summary>Held and not stale: a deadline is set and <paramref name="now"/> has not passed it.</summary>
    public static bool IsLive(long word, long now)
    {
        var deadline = Deadline(word);
        return deadline != 0 && now <= deadline;
    }
}
