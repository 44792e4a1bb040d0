namespace Weaver;

/// <summary>
/// The id of one task of machine type <typeparamref name="TMachine"/>: the key of that machine's generated claim
/// table, so ids of different machines cannot be mixed up.
/// </summary>
/// <typeparam name="TMachine">The machine type.</typeparam>
public readonly record struct MachineKey<TMachine>
{
    /// <summary>Creates the key of the task with id <paramref name="id"/>.</summary>
    /// <param name="id">The task's id; not empty.</param>
    public MachineKey(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        Id = id;
    }

    /// <summary>The task's id.</summary>
    public string Id { get; }

    /// <summary>A key from an id.</summary>
    /// <param name="id">The task's id.</param>
    public static implicit operator MachineKey<TMachine>(string id) => new(id);

    /// <inheritdoc/>
    public override string ToString() => Id;
}
