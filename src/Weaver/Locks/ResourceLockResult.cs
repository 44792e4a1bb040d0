using System.Diagnostics.CodeAnalysis;

namespace Weaver;

/// <summary>The outcome of <see cref="ResourceLockManager.TryAcquire"/>: the lease, or every conflict that prevented it.</summary>
public sealed class ResourceLockResult
{
    private ResourceLockResult(ResourceLease? lease, IReadOnlyList<ResourceConflict> conflicts)
    {
        Lease = lease;
        Conflicts = conflicts;
    }

    /// <summary>Whether every requested resource was acquired.</summary>
    [MemberNotNullWhen(true, nameof(Lease))]
    public bool Acquired => Lease is not null;

    /// <summary>The lease on all requested resources, when <see cref="Acquired"/>.</summary>
    public ResourceLease? Lease { get; }

    /// <summary>When not <see cref="Acquired"/>, each requested resource that is held, with its holder, in key order; otherwise empty.</summary>
    public IReadOnlyList<ResourceConflict> Conflicts { get; }

    /// <summary>A granted request: the lease on all its resources.</summary>
    /// <param name="lease">The lease.</param>
    /// <returns>The result.</returns>
    public static ResourceLockResult Granted(ResourceLease lease) => new(lease, []);

    /// <summary>A refused request: the resources that are held, with their holders; nothing was acquired.</summary>
    /// <param name="conflicts">At least one conflict.</param>
    /// <returns>The result.</returns>
    public static ResourceLockResult Refused(IReadOnlyList<ResourceConflict> conflicts) =>
        conflicts is { Count: > 0 } ? new(null, conflicts) : throw new ArgumentException("A refusal names at least one conflict.", nameof(conflicts));

    /// <summary>The outcome in words, naming each conflicting resource and its holder (task and owner).</summary>
    /// <returns>A one-line description.</returns>
    public string Describe() =>
        Lease is { } lease
            ? $"Task '{lease.TaskId}' (owner '{lease.Owner}') holds {Join(lease.Resources.Select(r => $"'{r}'"))} under epoch {lease.Epoch} until {lease.ExpiresAt:O}."
            : $"Not acquired: {Join(Conflicts.Select(c => c.ToString()))}.";

    /// <inheritdoc cref="Describe"/>
    public override string ToString() => Describe();

    private static string Join(IEnumerable<string> parts) => string.Join("; ", parts);
}
