namespace Weaver;

/// <summary>
/// Guards the artifact writes of one writer (an attempt) that may lose the right to write while it works.
/// <see cref="ArtifactStore"/> asks it twice per put: <see cref="Check"/> before any content is stored, so a writer that
/// already lost the right wastes no disk, and <see cref="RecordAsync"/> to record the metadata, the one step that makes
/// an artifact exist.
/// </summary>
/// <remarks>
/// An engine attempt's fence appends the store's own metadata line under the task's lock. A store-backed attempt's fence
/// records the metadata in its <see cref="IWeaverStore"/> instead, with one conditional write
/// (<see cref="IWeaverStore.AppendArtifactAsync"/>): the store's files hold one process's lines, and a fleet's workers
/// run in many.
/// </remarks>
internal interface IArtifactFence
{
    /// <summary>Throws when the writer may no longer write; a cheap early check, not the guarantee.</summary>
    /// <param name="name">The artifact's name, for the rejection's message.</param>
    /// <exception cref="LeaseLostException">The writer lost its lease; nothing was written.</exception>
    void Check(string name);

    /// <summary>
    /// Records the artifact only if the writer may still write, atomically with respect to anything that could take that
    /// right away; otherwise throws without recording it.
    /// </summary>
    /// <param name="artifact">The artifact's metadata, stamped now.</param>
    /// <param name="appendLine">
    /// Appends it as a line of the <see cref="ArtifactStore"/>'s own metadata, and returns it as appended. A fence that
    /// keeps the metadata elsewhere records <paramref name="artifact"/> there and does not call it.
    /// </param>
    /// <param name="cancellationToken">Stops the call; nothing is recorded then.</param>
    /// <returns>The recorded artifact.</returns>
    /// <exception cref="LeaseLostException">The writer lost its lease; nothing was recorded.</exception>
    ValueTask<ArtifactRef> RecordAsync(ArtifactRef artifact, Func<ArtifactRef> appendLine, CancellationToken cancellationToken);
}
