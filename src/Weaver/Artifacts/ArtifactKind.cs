namespace Weaver;

/// <summary>What an artifact is: stored content (a file or a captured output stream) or a link to content elsewhere.</summary>
public enum ArtifactKind
{
    /// <summary>A file an attempt produced, stored by content.</summary>
    File,

    /// <summary>A link to content stored elsewhere; it has a <see cref="ArtifactRef.Url"/> and no content in the store.</summary>
    Url,

    /// <summary>The standard output an attempt captured, stored by content.</summary>
    Stdout,

    /// <summary>The standard error an attempt captured, stored by content.</summary>
    Stderr,
}
