namespace Weaver;

/// <summary>
/// One artifact of one attempt of a task, as <see cref="ArtifactStore"/> recorded it. The content of every kind but
/// <see cref="ArtifactKind.Url"/> is stored once per distinct content, under its SHA-256; read it back with
/// <see cref="ArtifactStore.OpenRead"/> or <see cref="ArtifactStore.ReadAllBytesAsync"/>.
/// </summary>
/// <param name="JobId">The job the attempt belongs to.</param>
/// <param name="TaskId">The task that made the attempt.</param>
/// <param name="Attempt">The attempt's number, from 1.</param>
/// <param name="Name">The artifact's logical relative path (segments separated by <c>/</c>), exactly as given.</param>
/// <param name="Kind">What the artifact is.</param>
/// <param name="ContentHash">The SHA-256 of the content in lowercase hex; <see langword="null"/> for a URL.</param>
/// <param name="Length">The content's length in bytes; 0 for a URL.</param>
/// <param name="Url">The link, for a URL; otherwise <see langword="null"/>.</param>
/// <param name="CreatedAt">When the artifact was recorded (UTC), from the store's <see cref="TimeProvider"/>.</param>
public sealed record ArtifactRef(
    string JobId,
    string TaskId,
    int Attempt,
    string Name,
    ArtifactKind Kind,
    string? ContentHash,
    long Length,
    Uri? Url,
    DateTimeOffset CreatedAt);
