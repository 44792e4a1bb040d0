using System.Text;

namespace Weaver.Runtime.Tests.Artifacts;

public sealed class ArtifactReadTests : IDisposable
{
    private readonly ArtifactFolder _folder = new();

    private ArtifactStore Store => _folder.Store;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_url_artifact_has_no_content_to_read()
    {
        var url = Store.PutUrl("job", "task", 1, "report", new Uri("https://example.com/report"));

        var open = Assert.Throws<InvalidOperationException>(() => Store.OpenRead(url));
        var read = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.ReadAllBytesAsync(url));

        const string expected = "Artifact 'report' of job 'job' is a URL (https://example.com/report); it has no content in the store. Fetch the URL instead.";
        Assert.Equal(expected, open.Message);
        Assert.Equal(expected, read.Message);
    }

    [Fact]
    public async Task A_ref_whose_hash_is_not_stored_fails_clearly()
    {
        var real = await Store.PutTextAsync("job", "task", 1, "out.txt", "real", ArtifactKind.Stdout);
        var forged = real with { ContentHash = new string('a', 64) };

        var exception = Assert.Throws<FileNotFoundException>(() => Store.OpenRead(forged));
        Assert.StartsWith($"Artifact 'out.txt' of job 'job' has content hash {forged.ContentHash}, which is not stored under this store's root", exception.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<FileNotFoundException>(() => Store.ReadAllBytesAsync(forged));
    }

    [Fact]
    public async Task A_ref_from_another_root_fails_clearly()
    {
        var elsewhere = new ArtifactStore(Path.Combine(_folder.Folder, "other-root"), _folder.Time);
        var foreign = await elsewhere.PutTextAsync("job", "task", 1, "out.txt", "elsewhere", ArtifactKind.Stdout);

        Assert.Throws<FileNotFoundException>(() => Store.OpenRead(foreign));
    }

    [Theory]
    [InlineData("../../../../etc/passwd")]
    [InlineData("ABCDEF0000000000000000000000000000000000000000000000000000000000")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData(null)]
    public async Task A_ref_whose_hash_is_not_a_sha256_is_rejected_before_any_path_is_made(string? hash)
    {
        var real = await Store.PutTextAsync("job", "task", 1, "out.txt", "real", ArtifactKind.Stdout);

        var exception = Assert.Throws<ArgumentException>("artifact", () => Store.OpenRead(real with { ContentHash = hash }));
        Assert.StartsWith($"Artifact 'out.txt' of job 'job' has content hash '{hash}', which is not 64 lowercase hex digits", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ref_whose_length_differs_from_the_stored_content_fails_clearly()
    {
        var real = await Store.PutTextAsync("job", "task", 1, "out.txt", "real", ArtifactKind.Stdout);

        var exception = Assert.Throws<FileNotFoundException>(() => Store.OpenRead(real with { Length = 3 }));
        Assert.StartsWith("Artifact 'out.txt' of job 'job' says its content is 3 bytes, but the stored content with hash", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Content_changed_on_disk_is_caught_by_a_full_read()
    {
        var artifact = await Store.PutTextAsync("job", "task", 1, "out.txt", "real", ArtifactKind.Stdout);
        var blob = Assert.Single(_folder.Blobs());
        await File.WriteAllTextAsync(blob, "fake");

        var exception = await Assert.ThrowsAsync<InvalidDataException>(() => Store.ReadAllBytesAsync(artifact));
        Assert.Contains("does not match its hash", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_streams_read_independently()
    {
        var artifact = await Store.PutTextAsync("job", "task", 1, "out.txt", "shared", ArtifactKind.Stdout);

        using var first = new StreamReader(Store.OpenRead(artifact), Encoding.UTF8);
        using var second = new StreamReader(Store.OpenRead(artifact), Encoding.UTF8);

        Assert.Equal("shared", await first.ReadToEndAsync());
        Assert.Equal("shared", await second.ReadToEndAsync());
    }
}
