using System.Text;
using Weaver.Runtime.Tests.Engine;
using Weaver.Runtime.Tests.Handlers;
using Weaver.Runtime.Tests.Jobs;
using static Weaver.Runtime.Tests.Jobs.JobFixture;

namespace Weaver.Runtime.Tests.Artifacts;

/// <summary>
/// Handlers store artifacts through <see cref="TaskContext.Artifacts"/> while a real <see cref="WorkerGroup"/> runs
/// them on a fake clock: each kind, keyed by job, task and attempt, listed and read back; names checked by the store's
/// rules; a clear error when the engine has no store.
/// </summary>
public sealed class AttemptArtifactsTests : IDisposable
{
    private static readonly Uri Report = new("https://ci.example.com/runs/7/report.html");
    private static readonly RetryPolicy Once = new() { MaxAttempts = 1 };

    private readonly ArtifactFolder _folder = new();

    private ArtifactStore Store => _folder.Store;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_handler_stores_a_file_a_stream_text_stdout_stderr_and_a_url_listed_under_its_own_task_id()
    {
        var source = Path.Combine(_folder.Folder, "build.log");
        await File.WriteAllTextAsync(source, "compiled 3 files\n");
        IReadOnlyList<ArtifactRef>? seen = null;
        var f = new EngineFixture(
            async (input, context) =>
            {
                var artifacts = context.Artifacts;
                Assert.True(artifacts.IsEnabled);
                await artifacts.PutFileAsync("logs/build.log", source);
                await artifacts.PutAsync("bin/out.bin", new MemoryStream([1, 2, 3]));
                await artifacts.PutTextAsync("summary.md", "# ok ✓");
                await artifacts.WriteStdoutAsync("line 1\n");
                await artifacts.WriteStdoutAsync("line 2\n");
                await artifacts.WriteStderrAsync("warning\n");
                artifacts.PutUrl("report", Report);
                seen = artifacts.List();
                return input;
            },
            Once,
            artifacts: Store);

        var id = f.Engine.Submit(EngineFixture.Kind, 7);
        var done = await RunAsync(f, id);

        Assert.Equal(TaskLifecycle.State.Succeeded, done.State);
        Assert.Null(done.Job);
        Assert.Same(Store, f.Engine.Artifacts);
        var listed = Store.List(id, id);
        Assert.Equal(seen, listed);
        Assert.Equal(listed, _folder.NewStore().List(id));
        Assert.Equal(
            [
                ("logs/build.log", ArtifactKind.File),
                ("bin/out.bin", ArtifactKind.File),
                ("summary.md", ArtifactKind.File),
                (AttemptArtifacts.StdoutName, ArtifactKind.Stdout),
                ("stdout.2.txt", ArtifactKind.Stdout),
                (AttemptArtifacts.StderrName, ArtifactKind.Stderr),
                ("report", ArtifactKind.Url),
            ],
            listed.Select(artifact => (artifact.Name, artifact.Kind)));
        Assert.All(listed, artifact => Assert.Equal((id, id, 1), (artifact.JobId, artifact.TaskId, artifact.Attempt)));

        Assert.Equal("compiled 3 files\n", await Text(listed[0]));
        Assert.Equal([1, 2, 3], await Store.ReadAllBytesAsync(listed[1]));
        Assert.Equal("# ok ✓", await Text(listed[2]));
        Assert.Equal("line 1\nline 2\n", await StdoutOf(listed));
        Assert.Equal("warning\n", await Text(listed[5]));
        Assert.Equal(Report, listed[6].Url);
        Assert.Equal(0, done.RejectedWrites);
    }

    [Fact]
    public async Task A_job_task_that_fails_once_then_succeeds_lists_both_attempts_under_the_jobs_id_and_its_task_id()
    {
        await using var f = new JobFixture(
            async (task, context) =>
            {
                await context.Artifacts.WriteStdoutAsync($"{task}: attempt {context.Attempt}\n");
                if (task == "test" && context.Attempt == 1)
                {
                    await context.Artifacts.WriteStderrAsync("flaky failure\n");
                    throw new InvalidOperationException("flaky");
                }

                await context.Artifacts.PutTextAsync("result.txt", $"{task} ok on attempt {context.Attempt}");
                return $"{task} done";
            },
            artifacts: Store);
        var retryOnce = new RetryPolicy { MaxAttempts = 2, InitialDelay = TimeSpan.FromSeconds(1), Jitter = 0 };
        var id = await f.Coordinator.SubmitJobAsync(
            new JobSpec([TaskOf("build", "work"), TaskOf("test", "work", "build") with { Retry = retryOnce }]) { Id = "ci-7" });

        var result = await f.DriveUntil(f.Coordinator.WaitForJobAsync(id));

        Assert.Equal(JobLifecycle.State.Succeeded, result.State);
        Assert.Equal(new JobTaskRef(id, "build"), f.Engine.Get("ci-7/build").Job);
        Assert.Equal(new JobTaskRef(id, "test"), f.Engine.Get("ci-7/test").Job);

        var build = Store.List("ci-7", "build");
        Assert.Equal([("stdout.txt", 1), ("result.txt", 1)], build.Select(artifact => (artifact.Name, artifact.Attempt)));
        Assert.Equal("build: attempt 1\n", await Text(build[0]));

        var test = Store.List("ci-7", "test");
        Assert.Equal(
            [("stdout.txt", 1), ("stderr.txt", 1), ("stdout.txt", 2), ("result.txt", 2)],
            test.Select(artifact => (artifact.Name, artifact.Attempt)));
        Assert.Equal("test: attempt 1\n", await StdoutOf(test.Where(artifact => artifact.Attempt == 1)));
        Assert.Equal("flaky failure\n", await Text(test[1]));
        Assert.Equal("test: attempt 2\n", await StdoutOf(test.Where(artifact => artifact.Attempt == 2)));
        Assert.Equal("test ok on attempt 2", await Text(test[3]));

        Assert.Equal([.. build, .. test], Store.List("ci-7"));
        Assert.All(Store.List("ci-7"), artifact => Assert.Equal("ci-7", artifact.JobId));
        Assert.Empty(Store.List("ci-7/test")); // keyed by the job, never by the engine's task id
    }

    [Fact]
    public async Task Without_an_artifact_store_every_call_says_artifacts_are_off_and_how_to_turn_them_on()
    {
        var source = Path.Combine(_folder.Folder, "source.txt");
        await File.WriteAllTextAsync(source, "source");
        var errors = new List<Exception?>();
        var enabled = true;
        var f = new EngineFixture(
            async (input, context) =>
            {
                var artifacts = context.Artifacts;
                enabled = artifacts.IsEnabled;
                errors.Add(await Record.ExceptionAsync(() => artifacts.PutAsync("a.bin", new MemoryStream([1]))));
                errors.Add(await Record.ExceptionAsync(() => artifacts.PutFileAsync("b.txt", source)));
                errors.Add(await Record.ExceptionAsync(() => artifacts.PutTextAsync("c.txt", "c")));
                errors.Add(await Record.ExceptionAsync(() => artifacts.WriteStdoutAsync("out")));
                errors.Add(await Record.ExceptionAsync(() => artifacts.WriteStderrAsync("err")));
                errors.Add(Record.Exception(() => artifacts.PutUrl("d", Report)));
                errors.Add(Record.Exception(() => artifacts.List()));
                return input;
            },
            Once);

        var done = await RunAsync(f, f.Engine.Submit(EngineFixture.Kind, 1));

        Assert.Equal(TaskLifecycle.State.Succeeded, done.State);
        Assert.Null(f.Engine.Artifacts);
        Assert.False(enabled);
        Assert.Equal(7, errors.Count);
        Assert.All(errors, error =>
        {
            var off = Assert.IsType<InvalidOperationException>(error);
            Assert.StartsWith($"Artifacts are off: the engine running task '{done.Id}' of job '{done.Id}' has no artifact store", off.Message, StringComparison.Ordinal);
            Assert.Contains("TaskEngineOptions.Artifacts", off.Message, StringComparison.Ordinal);
        });
        Assert.Equal(0, done.RejectedWrites);
    }

    [Fact]
    public async Task A_context_made_for_a_handler_test_has_artifacts_off_unless_given_a_writer()
    {
        using (var attempt = new Attempt("work", taskId: "t-9"))
        {
            Assert.False(attempt.Context.Artifacts.IsEnabled);
            Assert.Equal(JobTaskRef.Standalone("t-9"), attempt.Context.Artifacts.Job);
            var off = await Assert.ThrowsAsync<InvalidOperationException>(() => attempt.Context.Artifacts.WriteStdoutAsync("x"));
            Assert.Contains("TaskEngineOptions.Artifacts", off.Message, StringComparison.Ordinal);
        }

        // Outside an engine a writer over a real store is not fenced by any lease: it is for testing handlers.
        var writer = new AttemptArtifacts(Store, new JobTaskRef(new JobId("job"), "task"), attempt: 2);
        var artifact = await writer.PutTextAsync("notes.txt", "n");
        Assert.Equal(("job", "task", 2, "notes.txt"), (artifact.JobId, artifact.TaskId, artifact.Attempt, artifact.Name));
        Assert.Equal([artifact], writer.List());
        Assert.Empty(new AttemptArtifacts(Store, new JobTaskRef(new JobId("job"), "task"), attempt: 1).List());
        Assert.Throws<ArgumentException>("job", () => new AttemptArtifacts(Store, default, 1));
        Assert.Throws<ArgumentOutOfRangeException>("attempt", () => new AttemptArtifacts(Store, JobTaskRef.Standalone("t"), 0));
    }

    [Fact]
    public void Job_task_refs_need_both_ids_and_the_engine_refuses_an_empty_one()
    {
        Assert.Throws<ArgumentException>("TaskId", () => new JobTaskRef(new JobId("job"), " "));
        Assert.Equal(new JobTaskRef(new JobId("t"), "t"), JobTaskRef.Standalone("t"));
        Assert.Equal("job/task", new JobTaskRef(new JobId("job"), "task").ToString());

        var f = EngineFixture.Idle();
        Assert.Throws<ArgumentException>("job", () => f.Engine.Submit(EngineFixture.Kind, 1, job: default(JobTaskRef)));
        var id = f.Engine.Submit(EngineFixture.Kind, 1, job: new JobTaskRef(new JobId("job"), "task"));
        Assert.Equal(new JobTaskRef(new JobId("job"), "task"), f.Engine.Get(id).Job);
        Assert.Equal(new JobTaskRef(new JobId("job"), "task"), f.Start(id, "w").Job);
    }

    [Theory]
    [MemberData(nameof(ArtifactNameTests.BadNames), MemberType = typeof(ArtifactNameTests))]
    public async Task A_name_that_could_escape_the_root_is_rejected_through_the_context_and_nothing_is_written(string name, string problem)
    {
        var source = Path.Combine(_folder.Folder, "source.txt");
        await File.WriteAllTextAsync(source, "source");
        var errors = new List<Exception?>();
        var f = new EngineFixture(
            async (input, context) =>
            {
                var artifacts = context.Artifacts;
                errors.Add(await Record.ExceptionAsync(() => artifacts.PutAsync(name, new MemoryStream([1]))));
                errors.Add(await Record.ExceptionAsync(() => artifacts.PutFileAsync(name, source)));
                errors.Add(await Record.ExceptionAsync(() => artifacts.PutTextAsync(name, "text", ArtifactKind.Stdout)));
                errors.Add(Record.Exception(() => artifacts.PutUrl(name, Report)));
                return input;
            },
            Once,
            artifacts: Store);

        var done = await RunAsync(f, f.Engine.Submit(EngineFixture.Kind, 1));

        Assert.Equal(TaskLifecycle.State.Succeeded, done.State);
        Assert.Equal(4, errors.Count);
        Assert.All(errors, error =>
        {
            var rejected = Assert.IsAssignableFrom<ArgumentException>(error);
            Assert.Equal("name", rejected.ParamName);
            Assert.StartsWith(problem, rejected.Message, StringComparison.Ordinal);
        });
        Assert.Equal([source], _folder.Files());
        Assert.False(Directory.Exists(_folder.Root));
        Assert.Equal(0, done.RejectedWrites); // a bad name is the caller's mistake, not a fencing rejection
    }

    [Theory]
    [InlineData("a file with spaces.txt")]
    [InlineData("#1 100% done.txt")]
    [InlineData("%2e%2e/%2F")]
    [InlineData("reports/ünïcödé/日本語.md")]
    [InlineData("emoji/🚀 launch 🎉.log")]
    [InlineData("..double/x..y")]
    public async Task An_odd_but_harmless_name_round_trips_exactly_through_the_context(string name)
    {
        var f = new EngineFixture(
            async (input, context) =>
            {
                await context.Artifacts.PutTextAsync(name, name);
                context.Artifacts.PutUrl(name, Report);
                return input;
            },
            Once,
            artifacts: Store);
        var id = f.Engine.Submit(EngineFixture.Kind, 1);

        var done = await RunAsync(f, id);

        Assert.Equal(TaskLifecycle.State.Succeeded, done.State);
        var listed = _folder.NewStore().List(id, id);
        Assert.Equal([name, name], listed.Select(artifact => artifact.Name));
        Assert.Equal(name, await Text(listed[0]));
        Assert.All(_folder.Files(), file => Assert.StartsWith(_folder.Root + Path.DirectorySeparatorChar, file, StringComparison.Ordinal));
    }

    /// <summary>Runs the submitted task on a one-worker group until it ends, then stops the group.</summary>
    private static async Task<TaskSnapshot> RunAsync(EngineFixture f, string id)
    {
        await using var group = new WorkerGroup(f.Engine, new WorkerGroupOptions { Concurrency = 1, Name = "g" });
        group.Start();
        return await f.Engine.WaitForCompletionAsync(id);
    }

    private async Task<string> Text(ArtifactRef artifact) => Encoding.UTF8.GetString(await Store.ReadAllBytesAsync(artifact));

    /// <summary>An attempt's captured stdout: its Stdout chunks joined in their order.</summary>
    private async Task<string> StdoutOf(IEnumerable<ArtifactRef> artifacts)
    {
        var text = new StringBuilder();
        foreach (var chunk in artifacts.Where(artifact => artifact.Kind == ArtifactKind.Stdout))
        {
            text.Append(await Text(chunk));
        }

        return text.ToString();
    }
}
