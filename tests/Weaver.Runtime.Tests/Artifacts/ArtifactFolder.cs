using Microsoft.Extensions.Time.Testing;

namespace Weaver.Runtime.Tests.Artifacts;

/// <summary>
/// A fresh temp folder for one test, deleted after it. The store's root is a child of it, so a test can check that
/// nothing was written beside the root.
/// </summary>
public sealed class ArtifactFolder : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    public ArtifactFolder()
    {
        Folder = Path.Combine(Path.GetTempPath(), "weaver-artifacts-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Root = Path.Combine(Folder, "root");
        Store = NewStore();
    }

    public string Folder { get; }

    public string Root { get; }

    public FakeTimeProvider Time { get; } = new(Start);

    public ArtifactStore Store { get; }

    public ArtifactStore NewStore() => new(Root, Time);

    /// <summary>Every file under the test's folder (the root and beside it), as full paths in ordinal order.</summary>
    public string[] Files() =>
        [.. Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    public string[] Blobs() =>
        Directory.Exists(Path.Combine(Root, "blobs"))
            ? [.. Directory.EnumerateFiles(Path.Combine(Root, "blobs"), "*", SearchOption.AllDirectories)]
            : [];

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
