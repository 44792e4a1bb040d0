namespace Weaver;

/// <summary>
/// Guards the artifact writes of one writer (an engine attempt) that may lose the right to write while it works.
/// <see cref="ArtifactStore"/> asks it twice per put: <see cref="Check"/> before any content is stored, so a writer that
/// already lost the right wastes no disk, and <see cref="Record"/> to append the metadata line, the one step that makes
/// an artifact exist.
/// </summary>
internal interface IArtifactFence
{
    /// <summary>Throws when the writer may no longer write; a cheap early check, not the guarantee.</summary>
    /// <param name="name">The artifact's name, for the rejection's message.</param>
    /// <exception cref="LeaseLostException">The writer lost its lease; nothing was written.</exception>
    void Check(string name);

    /// <summary>
    /// Runs <paramref name="append"/> only if the writer may still write, atomically with respect to anything that could
    /// take that right away; otherwise throws without running it.
    /// </summary>
    /// <param name="name">The artifact's name, for the rejection's message.</param>
    /// <param name="append">Appends the artifact's metadata line.</param>
    /// <returns>What <paramref name="append"/> returned.</returns>
    /// <exception cref="LeaseLostException">The writer lost its lease; no line was appended.</exception>
    ArtifactRef Record(string name, Func<ArtifactRef> append);
}
