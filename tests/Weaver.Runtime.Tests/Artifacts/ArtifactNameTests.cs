namespace Weaver.Runtime.Tests.Artifacts;

public sealed class ArtifactNameTests : IDisposable
{
    private const string AllowedName = "allowed: a relative path of one or more segments separated by '/'";

    private readonly ArtifactFolder _folder = new();

    private ArtifactStore Store => _folder.Store;

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, string> BadNames => new()
    {
        { "", "Artifact name '' is empty or white space" },
        { "  ", "Artifact name '  ' is empty or white space" },
        { "..", "Artifact name '..' has a '..' segment" },
        { "../secret", "Artifact name '../secret' has a '..' segment" },
        { "a/../../b", "Artifact name 'a/../../b' has a '..' segment" },
        { "a/..", "Artifact name 'a/..' has a '..' segment" },
        { "./a", "Artifact name './a' has a '.' segment" },
        { "a/./b", "Artifact name 'a/./b' has a '.' segment" },
        { "/etc/passwd", "Artifact name '/etc/passwd' is an absolute path" },
        { @"\x", @"Artifact name '\x' is an absolute path" },
        { @"C:\x", @"Artifact name 'C:\x' starts with a drive" },
        { "c:x", "Artifact name 'c:x' starts with a drive" },
        { @"\\server\share", @"Artifact name '\\server\share' is a UNC path" },
        { @"logs\out.txt", @"Artifact name 'logs\out.txt' has a backslash" },
        { @"a\..\..\b", @"Artifact name 'a\..\..\b' has a backslash" },
        { "a//b", "Artifact name 'a//b' has an empty segment" },
        { "a/", "Artifact name 'a/' has an empty segment" },
        { "a\0b", @"Artifact name 'a\u0000b' has a control character" },
        { "line\nbreak", @"Artifact name 'line\u000Abreak' has a control character" },
        { "tab\t", @"Artifact name 'tab\u0009' has a control character" },
        { "del\u007f", @"Artifact name 'del\u007F' has a control character" },
        { "a/.. ", "Artifact name 'a/.. ' has a segment ending in a space ('.. ')" },
        { "a/...", "Artifact name 'a/...' has a segment ending in a dot ('...')" },
        { new string('x', 256), $"Artifact name '{new string('x', 256)}' is 256 characters long" },
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task A_bad_name_is_rejected_with_what_is_wrong_and_what_is_allowed_and_nothing_is_written(string name, string problem)
    {
        var source = Path.Combine(_folder.Folder, "source.txt");
        await File.WriteAllTextAsync(source, "source");
        var before = _folder.Files();

        AssertRejected(() => Store.PutUrl("job", "task", 1, name, new Uri("https://example.com/")), problem);
        await AssertRejectedAsync(() => Store.PutTextAsync("job", "task", 1, name, "text", ArtifactKind.Stdout), problem);
        await AssertRejectedAsync(() => Store.PutAsync("job", "task", 1, name, new MemoryStream([1])), problem);
        await AssertRejectedAsync(() => Store.PutFileAsync("job", "task", 1, name, source), problem);

        Assert.Equal(before, _folder.Files());
        Assert.False(Directory.Exists(_folder.Root));
    }

    [Fact]
    public async Task A_rejected_name_after_good_puts_adds_nothing()
    {
        await Store.PutTextAsync("job", "task", 1, "ok.txt", "ok", ArtifactKind.Stdout);
        var before = _folder.Files();

        Assert.Throws<ArgumentException>(() => Store.PutUrl("job", "task", 1, "../escape", new Uri("https://example.com/")));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutTextAsync("job", "task", 1, "/escape", "new content", ArtifactKind.Stdout));

        Assert.Equal(before, _folder.Files());
        Assert.Single(Store.List("job"));
    }

    // Lone surrogates are built here rather than in theory data, which xunit would turn into U+FFFD.
    [Fact]
    public void Text_with_a_lone_surrogate_is_rejected_because_it_could_not_round_trip()
    {
        AssertRejected(() => Store.PutUrl("job", "task", 1, "lone" + '\ud800', new Uri("https://example.com/")), @"Artifact name 'lone\uD800' is not valid UTF-16");
        AssertRejected(() => Store.PutUrl("j" + '\udc00', "task", 1, "x", new Uri("https://example.com/")), @"Job id 'j\uDC00' is not valid UTF-16", "jobId", "allowed: any text");
        AssertRejected(() => Store.List("job", "t" + '\udc00' + '\ud800'), @"Task id 't\uDC00\uD800' is not valid UTF-16", "taskId", "allowed: any text");
        Assert.False(Directory.Exists(_folder.Root));
    }

    [Fact]
    public void A_null_name_is_rejected() =>
        Assert.Throws<ArgumentNullException>("name", () => Store.PutUrl("job", "task", 1, null!, new Uri("https://example.com/")));

    [Theory]
    [InlineData("a file with spaces.txt")]
    [InlineData("#1 100% done?.txt")]
    [InlineData("reports/ünïcödé/日本語.md")]
    [InlineData("emoji/🚀 launch.log")]
    [InlineData("query?a=1&b=%20#frag")]
    [InlineData("notes:v2/c*d/<e>|\"f\"")]
    [InlineData(".hidden/..double/x..y")]
    [InlineData(" leading space")]
    public async Task Odd_but_harmless_names_round_trip_exactly(string name)
    {
        var text = await Store.PutTextAsync("job", "task", 1, name, name, ArtifactKind.Stdout);
        var url = Store.PutUrl("job", "task", 1, name, new Uri("https://example.com/a?b=c#d"));

        var listed = _folder.NewStore().List("job");

        Assert.Equal([name, name], listed.Select(artifact => artifact.Name));
        Assert.Equal([text, url], listed);
    }

    [Fact]
    public async Task A_name_of_255_characters_is_allowed()
    {
        var name = new string('n', 255);
        var artifact = await Store.PutTextAsync("job", "task", 1, name, "x", ArtifactKind.Stdout);
        Assert.Equal(name, Assert.Single(Store.List("job")).Name);
        Assert.Equal(name, artifact.Name);
    }

    [Theory]
    [InlineData("../../outside")]
    [InlineData("/etc/passwd")]
    [InlineData("a/b/c")]
    [InlineData(@"..\..\outside")]
    [InlineData("C:")]
    [InlineData("..")]
    [InlineData("job with spaces, ünïcode and 🚀")]
    public async Task Any_job_or_task_id_stays_under_the_root_and_round_trips(string id)
    {
        var source = Path.Combine(_folder.Folder, "source.txt");
        await File.WriteAllTextAsync(source, "source");

        var artifacts = new[]
        {
            await Store.PutAsync(id, id, 1, "a.bin", new MemoryStream([1])),
            await Store.PutFileAsync(id, id, 1, "b.txt", source),
            await Store.PutTextAsync(id, id, 1, "c.txt", "c", ArtifactKind.Stderr),
            Store.PutUrl(id, id, 1, "d", new Uri("http://example.com/d")),
        };

        Assert.Equal(artifacts, _folder.NewStore().List(id, id));
        Assert.All(_folder.Files().Where(file => file != source), file => Assert.StartsWith(_folder.Root + Path.DirectorySeparatorChar, file, StringComparison.Ordinal));
        Assert.Empty(Store.List("job"));
    }

    [Fact]
    public void Ids_that_differ_only_where_an_encoding_could_blur_them_are_listed_apart()
    {
        Store.PutUrl("a/b", "t", 1, "x", new Uri("https://example.com/1"));
        Store.PutUrl("a_b", "t", 1, "x", new Uri("https://example.com/2"));
        Store.PutUrl("A/B", "t", 1, "x", new Uri("https://example.com/3"));

        Assert.Equal("https://example.com/1", Assert.Single(Store.List("a/b")).Url!.OriginalString);
        Assert.Equal("https://example.com/2", Assert.Single(Store.List("a_b")).Url!.OriginalString);
        Assert.Equal("https://example.com/3", Assert.Single(Store.List("A/B")).Url!.OriginalString);
    }

    [Theory]
    [InlineData("", "taskId", "Task id '' is empty or white space")]
    [InlineData("  ", "taskId", "Task id '  ' is empty or white space")]
    [InlineData("t\n", "taskId", @"Task id 't\u000A' has a control character")]
    public void Bad_task_ids_are_rejected(string taskId, string parameter, string problem) =>
        AssertRejected(() => Store.PutUrl("job", taskId, 1, "x", new Uri("https://example.com/")), problem, parameter, "allowed: any text that is not empty or white space, without control characters or lone surrogates");

    [Theory]
    [InlineData("", "Job id '' is empty or white space")]
    [InlineData("j\0", @"Job id 'j\u0000' has a control character")]
    public void Bad_job_ids_are_rejected_by_puts_and_lists(string jobId, string problem)
    {
        const string allowed = "allowed: any text that is not empty or white space, without control characters or lone surrogates";
        AssertRejected(() => Store.PutUrl(jobId, "task", 1, "x", new Uri("https://example.com/")), problem, "jobId", allowed);
        AssertRejected(() => Store.List(jobId), problem, "jobId", allowed);
        Assert.False(Directory.Exists(_folder.Root));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void An_attempt_below_one_is_rejected(int attempt)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>("attempt", () => Store.PutUrl("job", "task", attempt, "x", new Uri("https://example.com/")));
        Assert.StartsWith($"Attempt {attempt} is not a valid attempt number; allowed: 1 or more.", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://example.com/a")]
    [InlineData("file:///etc/passwd")]
    [InlineData("relative/path")]
    public void A_url_that_is_not_absolute_http_or_https_is_rejected(string url)
    {
        AssertRejected(() => Store.PutUrl("job", "task", 1, "x", new Uri(url, UriKind.RelativeOrAbsolute)), $"URL '{url}' is not an absolute http or https URL", "url", "allowed: an absolute URL");
        Assert.False(Directory.Exists(_folder.Root));
    }

    [Fact]
    public async Task Content_cannot_be_put_as_a_url()
    {
        var exception = await Assert.ThrowsAsync<ArgumentException>("kind", () => Store.PutAsync("job", "task", 1, "x", new MemoryStream([1]), ArtifactKind.Url));
        Assert.StartsWith("Kind Url has no content to store; use PutUrl", exception.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("kind", () => Store.PutTextAsync("job", "task", 1, "x", "t", (ArtifactKind)42));
        Assert.False(Directory.Exists(_folder.Root));
    }

    private static async Task AssertRejectedAsync(Func<Task> put, string problem)
    {
        var exception = await Assert.ThrowsAsync<ArgumentException>("name", put);
        Assert.StartsWith(problem, exception.Message, StringComparison.Ordinal);
        Assert.Contains(AllowedName, exception.Message, StringComparison.Ordinal);
    }

    private static void AssertRejected(Action put, string problem, string parameter = "name", string allowed = AllowedName)
    {
        var exception = Assert.Throws<ArgumentException>(parameter, put);
        Assert.StartsWith(problem, exception.Message, StringComparison.Ordinal);
        Assert.Contains(allowed, exception.Message, StringComparison.Ordinal);
    }
}
