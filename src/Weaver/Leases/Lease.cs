namespace Weaver;

/// <summary>
/// A claim on a key: who holds it, under which epoch, and until when. The <see cref="Epoch"/> is the fencing
/// token: every write the holder makes is checked against it, and a write with an older epoch changes nothing.
/// </summary>
/// <typeparam name="TKey">The kind of key claimed (a task id, a resource path).</typeparam>
/// <param name="Key">The claimed key.</param>
/// <param name="Owner">Who holds the claim (a worker's id).</param>
/// <param name="Epoch">The fencing token: greater than every earlier epoch of this key, never reused.</param>
/// <param name="ExpiresAt">
/// When the lease becomes stale unless renewed: the last heartbeat plus <see cref="LeaseOptions.StaleAfter"/>. The lease
/// is live up to and including this instant.
/// </param>
public readonly record struct Lease<TKey>(TKey Key, string Owner, long Epoch, DateTimeOffset ExpiresAt)
    where TKey : notnull;
