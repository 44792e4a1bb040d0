using System.Security.Cryptography;
using System.Text;
using Weaver.Runtime.Tests.Engine;

namespace Weaver.Runtime.Tests.Artifacts;

/// <summary>
/// An artifact is recorded only while its attempt holds the task's current lease. A zombie (a paused worker whose task
/// was swept and run again, or taken over by another claim), an attempt of a cancelled task, and an attempt that already
/// committed all get <see cref="LeaseLostException"/>, list nothing new, and leave a
/// <see cref="TaskEventKind.WriteRejected"/> event in the task's history. Time moves only by the fake clock.
/// </summary>
public sealed class AttemptArtifactFencingTests : IDisposable
{
    private static readonly Uri Link = new("https://example.com/late");

    private readonly ArtifactFolder _folder = new();

    private ArtifactStore Store => _folder.Store;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_zombie_whose_task_was_swept_and_run_again_gets_LeaseLostException_for_every_put_and_lists_nothing_new()
    {
        var zombie = new Zombie();
        var f = new EngineFixture(
            async (input, context) =>
            {
                if (context.Attempt == 2)
                {
                    await context.Artifacts.PutTextAsync("result.txt", "from attempt 2");
                    return 2;
                }

                await context.Artifacts.PutTextAsync("result.txt", "from attempt 1");
                return await zombie.PauseThenWriteAsync(context);
            },
            artifacts: Store);
        var id = f.Engine.Submit(EngineFixture.Kind, 0);
        var group = new WorkerGroup(f.Engine, new WorkerGroupOptions { Concurrency = 2, Name = "g", SweepInterval = TimeSpan.FromDays(1) });
        group.Start();
        var paused = await zombie.Paused.Task;

        // The worker is paused past the stale threshold: no heartbeat runs (AdjustTime fires no timers), so the sweep
        // takes the task back and the other worker runs attempt 2 to success.
        f.Time.AdjustTime(f.Time.GetUtcNow() + f.Engine.Claims.Options.StaleAfter + TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, f.Engine.Sweep());
        var done = await f.Engine.WaitForCompletionAsync(id);
        Assert.Equal((TaskLifecycle.State.Succeeded, 2), (done.State, done.Result));

        zombie.Resume();
        var errors = await zombie.Errors.Task;
        await group.StopAsync(TimeSpan.Zero);
        await group.DisposeAsync();

        AssertAllLeaseLost(errors, id, paused.Lease);
        Assert.Equal([("result.txt", 1), ("result.txt", 2)], Store.List(id, id).Select(artifact => (artifact.Name, artifact.Attempt)));
        Assert.Equal(["result.txt"], paused.Artifacts.List().Select(artifact => artifact.Name));
        Assert.DoesNotContain(Zombie.LateContentHash, _folder.Blobs().Select(Path.GetFileName)); // rejected before its content was stored
        AssertRejectedInHistory(f.Engine.Get(id), paused.Lease, Zombie.Names);
        Assert.Contains(f.Engine.Get(id).History, e => e.Kind == TaskEventKind.WriteRejected && e.Detail.StartsWith("The commit of attempt 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_zombie_whose_stale_lease_another_worker_claimed_gets_LeaseLostException_and_lists_nothing_new()
    {
        var zombie = new Zombie();
        var f = new EngineFixture(
            async (input, context) =>
            {
                await context.Artifacts.PutTextAsync("result.txt", "from attempt 1");
                return await zombie.PauseThenWriteAsync(context);
            },
            artifacts: Store);
        var id = f.Engine.Submit(EngineFixture.Kind, 0);
        var group = new WorkerGroup(f.Engine, new WorkerGroupOptions { Concurrency = 1, Name = "g", SweepInterval = TimeSpan.FromDays(1) });
        group.Start();
        var paused = await zombie.Paused.Task;

        // No sweep: another worker's claim takes the stale lease over and starts attempt 2.
        f.Time.AdjustTime(f.Time.GetUtcNow() + f.Engine.Claims.Options.StaleAfter + TimeSpan.FromMilliseconds(1));
        var intruder = f.Start(id, "intruder");
        Assert.Equal((2, 2L), (intruder.Number, intruder.Lease.Epoch));

        zombie.Resume();
        var errors = await zombie.Errors.Task;
        await group.StopAsync(TimeSpan.Zero);
        await group.DisposeAsync();
        Assert.True(f.Engine.TryComplete(intruder, 2));

        AssertAllLeaseLost(errors, id, paused.Lease);
        Assert.Equal([("result.txt", 1)], Store.List(id, id).Select(artifact => (artifact.Name, artifact.Attempt)));
        AssertRejectedInHistory(f.Engine.Get(id), paused.Lease, Zombie.Names);
        Assert.Equal(TaskLifecycle.State.Succeeded, f.Engine.Get(id).State);
    }

    [Fact]
    public async Task An_attempt_of_a_cancelled_task_gets_LeaseLostException_and_lists_nothing_new()
    {
        var zombie = new Zombie();
        var f = new EngineFixture(
            async (input, context) =>
            {
                await context.Artifacts.PutTextAsync("result.txt", "before the cancel");
                return await zombie.PauseThenWriteAsync(context);
            },
            artifacts: Store);
        var id = f.Engine.Submit(EngineFixture.Kind, 0);
        await using var group = new WorkerGroup(f.Engine, new WorkerGroupOptions { Concurrency = 1, Name = "g" });
        group.Start();
        var paused = await zombie.Paused.Task;

        // Its lease has not gone stale, but the task no longer runs the attempt.
        Assert.True(f.Engine.TryCancel(id));
        Assert.True(f.Engine.Claims.IsCurrent(paused.Lease));
        zombie.Resume();
        var errors = await zombie.Errors.Task;

        AssertAllLeaseLost(errors, id, paused.Lease);
        Assert.Equal(["result.txt"], Store.List(id).Select(artifact => artifact.Name));
        AssertRejectedInHistory(f.Engine.Get(id), paused.Lease, Zombie.Names);
        Assert.Equal(TaskLifecycle.State.Cancelled, f.Engine.Get(id).State);
    }

    [Fact]
    public async Task A_put_whose_lease_is_lost_while_its_content_is_copied_is_rejected_when_it_would_be_recorded()
    {
        var content = Encoding.UTF8.GetBytes("a large report");
        LeaseLostException? lost = null;
        TaskContext? first = null;
        EngineFixture? fixture = null;
        var f = fixture = new EngineFixture(
            async (input, context) =>
            {
                if (context.Attempt == 2)
                {
                    return 2;
                }

                first = context;
                // The early check passes; while the content is copied the worker pauses past the stale threshold and
                // the task is swept. The check made when the metadata line would be appended rejects the put.
                var pausing = new PausingStream(content, () =>
                {
                    fixture!.Time.AdjustTime(fixture.Time.GetUtcNow() + fixture.Engine.Claims.Options.StaleAfter + TimeSpan.FromMilliseconds(1));
                    Assert.Equal(1, fixture.Engine.Sweep());
                });
                lost = await Assert.ThrowsAsync<LeaseLostException>(() => context.Artifacts.PutAsync("report.bin", pausing));
                return 1;
            },
            artifacts: Store);
        var id = f.Engine.Submit(EngineFixture.Kind, 0);
        await using var group = new WorkerGroup(f.Engine, new WorkerGroupOptions { Concurrency = 1, Name = "g", SweepInterval = TimeSpan.FromDays(1) });
        group.Start();

        var done = await f.Engine.WaitForCompletionAsync(id);

        Assert.Equal((TaskLifecycle.State.Succeeded, 2), (done.State, done.Result));
        Assert.NotNull(lost);
        Assert.Equal("write of artifact 'report.bin'", lost.Operation);
        Assert.Empty(Store.List(id));
        // The content reached the store before the check; unreferenced, it is harmless (ADR 0014) and never listed.
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(content)), _folder.Blobs().Select(Path.GetFileName));
        AssertRejectedInHistory(done, first!.Lease, ["report.bin"]);
    }

    [Fact]
    public async Task A_context_kept_after_its_attempt_committed_can_no_longer_put()
    {
        TaskContext? kept = null;
        var f = new EngineFixture(
            async (input, context) =>
            {
                await context.Artifacts.WriteStdoutAsync("done\n");
                kept = context;
                return input;
            },
            artifacts: Store);
        var id = f.Engine.Submit(EngineFixture.Kind, 5);
        await using (var group = new WorkerGroup(f.Engine, new WorkerGroupOptions { Concurrency = 1, Name = "g" }))
        {
            group.Start();
            await f.Engine.WaitForCompletionAsync(id);
        }

        var lost = await Assert.ThrowsAsync<LeaseLostException>(() => kept!.Artifacts.WriteStdoutAsync("too late\n"));
        Assert.Equal((id, 1L), (lost.Key, lost.Epoch));
        Assert.Throws<LeaseLostException>(() => kept!.Artifacts.PutUrl("late", Link));

        Assert.Equal([AttemptArtifacts.StdoutName], Store.List(id).Select(artifact => artifact.Name));
        AssertRejectedInHistory(f.Engine.Get(id), kept!.Lease, ["stdout.2.txt", "late"]);
    }

    private static void AssertAllLeaseLost(IReadOnlyList<Exception?> errors, string taskId, Lease<string> lease)
    {
        Assert.Equal(Zombie.Names.Length, errors.Count);
        Assert.All(errors.Zip(Zombie.Names), pair =>
        {
            var lost = Assert.IsType<LeaseLostException>(pair.First);
            Assert.Equal((taskId, lease.Owner, lease.Epoch), (lost.Key, lost.Owner, lost.Epoch));
            Assert.Equal($"write of artifact '{pair.Second}'", lost.Operation);
            Assert.EndsWith($"so its write of artifact '{pair.Second}' was rejected and changed nothing.", lost.Message, StringComparison.Ordinal);
        });
    }

    private static void AssertRejectedInHistory(TaskSnapshot task, Lease<string> lease, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            var rejected = Assert.Single(task.History, e => e.Kind == TaskEventKind.WriteRejected && e.Detail.Contains($"artifact '{name}'", StringComparison.Ordinal));
            Assert.Equal((1, lease.Owner, lease.Epoch), (rejected.Attempt, rejected.Owner, rejected.Epoch));
            Assert.Equal(
                $"The write of artifact '{name}' of attempt 1 from '{lease.Owner}' (epoch {lease.Epoch}) was rejected: it no longer holds the lease.",
                rejected.Detail);
        }
    }

    /// <summary>
    /// A handler step that pauses (ignoring its token, like a frozen process) until the test resumes it, then tries
    /// every kind of put and reports what each threw.
    /// </summary>
    private sealed class Zombie
    {
        public static readonly string[] Names = ["late.txt", "stdout.txt", "late.bin", "late-link"];

        private const string LateContent = "written after the lease was lost";

        private readonly TaskCompletionSource _resume = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static string LateContentHash { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(LateContent)));

        public TaskCompletionSource<TaskContext> Paused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<IReadOnlyList<Exception?>> Errors { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Resume() => _resume.SetResult();

        public async ValueTask<int> PauseThenWriteAsync(TaskContext context)
        {
            Paused.SetResult(context);
            await _resume.Task;
            var artifacts = context.Artifacts;
            Errors.SetResult(
            [
                await Record.ExceptionAsync(() => artifacts.PutTextAsync("late.txt", LateContent)),
                await Record.ExceptionAsync(() => artifacts.WriteStdoutAsync(LateContent)),
                await Record.ExceptionAsync(() => artifacts.PutAsync("late.bin", new MemoryStream(Encoding.UTF8.GetBytes(LateContent)))),
                Record.Exception(() => artifacts.PutUrl("late-link", Link)),
            ]);
            return 1;
        }
    }

    /// <summary>Content whose first read runs an action first: the moment to lose a lease in the middle of a put.</summary>
    private sealed class PausingStream(byte[] content, Action onFirstRead) : MemoryStream(content, writable: false)
    {
        private int _reads;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _reads) == 1)
            {
                onFirstRead();
            }

            return base.ReadAsync(buffer, cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
