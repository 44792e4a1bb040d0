using System.Security.Cryptography;
using System.Text;

namespace Weaver.Runtime.Tests.Artifacts;

public sealed class ArtifactConcurrencyTests : IDisposable
{
    private const int Writers = 16;

    private readonly ArtifactFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Concurrent_puts_of_the_same_content_store_one_blob_and_record_every_put()
    {
        var content = new byte[256 * 1024];
        new Random(16).NextBytes(content);

        var artifacts = await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => Task.Run(() =>
            _folder.Store.PutAsync("job", $"task-{i}", 1, "same.bin", new MemoryStream(content)))));

        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        Assert.All(artifacts, artifact => Assert.Equal(hash, artifact.ContentHash));
        Assert.Single(_folder.Blobs());
        Assert.Equal(content, await _folder.Store.ReadAllBytesAsync(artifacts[0]));
        Assert.Equal(artifacts.ToHashSet(), _folder.NewStore().List("job").ToHashSet());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_folder.Root, "tmp")));
    }

    [Fact]
    public async Task Concurrent_puts_of_different_content_from_several_stores_keep_every_artifact()
    {
        // Two stores over one root, as two components of one process would have.
        var stores = new[] { _folder.Store, _folder.NewStore() };

        var artifacts = await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => Task.Run(async () =>
        {
            var store = stores[i % stores.Length];
            var job = $"job-{i % 2}";
            return new[]
            {
                await store.PutTextAsync(job, $"task-{i}", 1, "stdout.txt", $"output of {i}", ArtifactKind.Stdout),
                store.PutUrl(job, $"task-{i}", 1, "link", new Uri($"https://example.com/{i}")),
            };
        })));

        Assert.Equal(Writers, _folder.Blobs().Length);
        var reader = _folder.NewStore();
        for (var i = 0; i < Writers; i++)
        {
            var listed = reader.List($"job-{i % 2}", $"task-{i}");
            Assert.Equal(artifacts[i], listed);
            Assert.Equal($"output of {i}", Encoding.UTF8.GetString(await reader.ReadAllBytesAsync(listed[0])));
        }

        Assert.Equal(Writers, reader.List("job-0").Count);
        Assert.Equal(Writers, reader.List("job-1").Count);
    }
}
