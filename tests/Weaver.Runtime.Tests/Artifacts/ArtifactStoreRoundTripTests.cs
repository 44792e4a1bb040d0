using System.Security.Cryptography;
using System.Text;

namespace Weaver.Runtime.Tests.Artifacts;

public sealed class ArtifactStoreRoundTripTests : IDisposable
{
    private static readonly Uri Report = new("https://ci.example.com/jobs/7/report.html");

    private readonly ArtifactFolder _folder = new();

    private ArtifactStore Store => _folder.Store;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Each_kind_is_listed_by_job_and_by_task_in_put_order_and_read_back()
    {
        var file = await Store.PutAsync("job-1", "build", 1, "bin/app.dll", new MemoryStream([1, 2, 3]));
        _folder.Time.Advance(TimeSpan.FromSeconds(1));
        var stdout = await Store.PutTextAsync("job-1", "build", 1, "stdout.txt", "Build succeeded.\n", ArtifactKind.Stdout);
        _folder.Time.Advance(TimeSpan.FromSeconds(1));
        var stderr = await Store.PutTextAsync("job-1", "test", 2, "stderr.txt", "1 warning ✓\n", ArtifactKind.Stderr);
        _folder.Time.Advance(TimeSpan.FromSeconds(1));
        var url = Store.PutUrl("job-1", "test", 2, "report", Report);
        await Store.PutTextAsync("job-2", "build", 1, "stdout.txt", "other job", ArtifactKind.Stdout);

        Assert.Equal([file, stdout, stderr, url], Store.List("job-1"));
        Assert.Equal([file, stdout], Store.List("job-1", "build"));
        Assert.Equal([stderr, url], Store.List("job-1", "test"));
        Assert.Empty(Store.List("job-1", "deploy"));
        Assert.Empty(Store.List("job-3"));

        Assert.Equal([1, 2, 3], await Store.ReadAllBytesAsync(file));
        Assert.Equal("Build succeeded.\n", Encoding.UTF8.GetString(await Store.ReadAllBytesAsync(stdout)));
        Assert.Equal("1 warning ✓\n", Encoding.UTF8.GetString(await Store.ReadAllBytesAsync(stderr)));
        using (var reader = new StreamReader(Store.OpenRead(stdout), Encoding.UTF8))
        {
            Assert.Equal("Build succeeded.\n", await reader.ReadToEndAsync());
        }

        Assert.Equal(new ArtifactRef("job-1", "build", 1, "bin/app.dll", ArtifactKind.File, Hash([1, 2, 3]), 3, null, ArtifactFolder.Start), file);
        Assert.Equal(ArtifactKind.Stdout, stdout.Kind);
        Assert.Equal(ArtifactFolder.Start.AddSeconds(1), stdout.CreatedAt);
        Assert.Equal(Encoding.UTF8.GetByteCount("1 warning ✓\n"), stderr.Length);
        Assert.Equal(new ArtifactRef("job-1", "test", 2, "report", ArtifactKind.Url, null, 0, Report, ArtifactFolder.Start.AddSeconds(3)), url);
    }

    [Fact]
    public async Task A_file_is_copied_and_later_changes_to_it_do_not_reach_the_artifact()
    {
        var source = Path.Combine(_folder.Folder, "out.log");
        await File.WriteAllTextAsync(source, "first");

        var artifact = await Store.PutFileAsync("job", "task", 1, "logs/out.log", source);
        await File.WriteAllTextAsync(source, "second");

        Assert.Equal(ArtifactKind.File, artifact.Kind);
        Assert.Equal("first", Encoding.UTF8.GetString(await Store.ReadAllBytesAsync(artifact)));
    }

    [Fact]
    public async Task A_missing_source_file_fails_and_records_nothing()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() => Store.PutFileAsync("job", "task", 1, "a.txt", Path.Combine(_folder.Folder, "missing.txt")));
        Assert.Empty(Store.List("job"));
    }

    [Fact]
    public async Task Identical_content_is_stored_once()
    {
        var first = await Store.PutTextAsync("job-1", "a", 1, "out.txt", "same", ArtifactKind.Stdout);
        var second = await Store.PutAsync("job-2", "b", 3, "copy/of/out.txt", new MemoryStream("same"u8.ToArray()));

        Assert.Equal(first.ContentHash, second.ContentHash);
        var blob = Assert.Single(_folder.Blobs());
        Assert.Equal(Path.Combine(_folder.Root, "blobs", "sha256", first.ContentHash![..2], first.ContentHash), blob);
        Assert.Equal("same", Encoding.UTF8.GetString(await Store.ReadAllBytesAsync(second)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_folder.Root, "tmp")));
    }

    [Fact]
    public async Task A_new_store_over_the_same_root_lists_and_reads_what_an_earlier_one_stored()
    {
        var text = await Store.PutTextAsync("job", "task", 1, "stdout.txt", "kept", ArtifactKind.Stdout);
        var url = Store.PutUrl("job", "task", 1, "dashboard", Report);

        var later = _folder.NewStore();

        Assert.Equal([text, url], later.List("job"));
        Assert.Equal("kept", Encoding.UTF8.GetString(await later.ReadAllBytesAsync(later.List("job", "task")[0])));
    }

    [Fact]
    public async Task Empty_content_is_an_artifact_of_length_zero()
    {
        var empty = await Store.PutAsync("job", "task", 1, "empty.bin", Stream.Null);

        Assert.Equal(0, empty.Length);
        Assert.Equal(Hash([]), empty.ContentHash);
        Assert.Empty(await Store.ReadAllBytesAsync(empty));
    }

    [Fact]
    public async Task A_big_stream_is_hashed_and_stored_exactly()
    {
        var bytes = new byte[8 * 1024 * 1024 + 7];
        new Random(5).NextBytes(bytes);

        var artifact = await Store.PutAsync("job", "task", 1, "big.bin", new MemoryStream(bytes));

        Assert.Equal(Hash(bytes), artifact.ContentHash);
        Assert.Equal(bytes.Length, artifact.Length);
        Assert.Equal(bytes, await Store.ReadAllBytesAsync(artifact));
    }

    [Fact]
    public async Task Content_is_read_from_the_stream_position_to_its_end()
    {
        var stream = new MemoryStream("skip:keep"u8.ToArray()) { Position = 5 };

        var artifact = await Store.PutAsync("job", "task", 1, "tail.txt", stream);

        Assert.Equal("keep", Encoding.UTF8.GetString(await Store.ReadAllBytesAsync(artifact)));
    }

    [Fact]
    public async Task A_cancelled_put_records_nothing_and_leaves_no_temp_file()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.PutAsync("job", "task", 1, "a.bin", new MemoryStream([1]), cancellationToken: cancel.Token));

        Assert.Empty(Store.List("job"));
        Assert.Empty(_folder.Files());
    }

    [Fact]
    public async Task A_metadata_line_cut_short_by_a_crash_is_not_listed_and_the_next_put_replaces_it()
    {
        var first = await Store.PutTextAsync("job", "task", 1, "one.txt", "1", ArtifactKind.Stdout);
        var jobFile = Assert.Single(Directory.GetFiles(Path.Combine(_folder.Root, "jobs")));
        await File.AppendAllTextAsync(jobFile, """{"jobId":"job","taskId":"ta""");

        Assert.Equal([first], Store.List("job"));

        var second = await Store.PutTextAsync("job", "task", 1, "two.txt", "2", ArtifactKind.Stdout);

        Assert.Equal([first, second], _folder.NewStore().List("job"));
        Assert.EndsWith("\n", await File.ReadAllTextAsync(jobFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metadata_lines_have_a_stable_readable_format()
    {
        var text = await Store.PutTextAsync("job", "build", 2, "logs/out.txt", "hi", ArtifactKind.Stdout);
        Store.PutUrl("job", "build", 2, "report", Report);

        var jobFile = Assert.Single(Directory.GetFiles(Path.Combine(_folder.Root, "jobs")));
        Assert.Equal(
            $$"""
            {"jobId":"job","taskId":"build","attempt":2,"name":"logs/out.txt","kind":"Stdout","contentHash":"{{text.ContentHash}}","length":2,"url":null,"createdAt":"2026-11-22T09:00:00+00:00"}
            {"jobId":"job","taskId":"build","attempt":2,"name":"report","kind":"Url","contentHash":null,"length":0,"url":"https://ci.example.com/jobs/7/report.html","createdAt":"2026-11-22T09:00:00+00:00"}

            """,
            await File.ReadAllTextAsync(jobFile));
    }

    [Fact]
    public async Task A_complete_line_that_is_not_a_record_is_reported_with_its_file_and_line()
    {
        await Store.PutTextAsync("job", "task", 1, "one.txt", "1", ArtifactKind.Stdout);
        var jobFile = Assert.Single(Directory.GetFiles(Path.Combine(_folder.Root, "jobs")));
        await File.AppendAllTextAsync(jobFile, "not json\n");

        var exception = Assert.Throws<InvalidDataException>(() => Store.List("job"));
        Assert.StartsWith($"Line 2 of '{jobFile}' is not an artifact record", exception.Message, StringComparison.Ordinal);
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
