using static Weaver.WeaverTelemetry;

namespace Weaver.Runtime.Tests.Telemetry;

/// <summary>
/// The instruments that carry no kind (lock conflicts, heartbeat durations, queue depth) cannot be told apart by test, so
/// these tests run alone and count exactly.
/// </summary>
[Collection(nameof(SerialTelemetry))]
public sealed class UntaggedInstrumentTests
{
    [Fact]
    public void A_lock_request_that_finds_a_resource_held_is_a_conflict()
    {
        using var capture = new TelemetryCapture();
        using var locks = new ResourceLockManager();

        Assert.True(locks.TryAcquire("t1", "w1", ["src/a.cs"]).Acquired);
        Assert.False(locks.TryAcquire("t2", "w2", ["src/b.cs", "src/a.cs"]).Acquired);
        Assert.True(locks.TryAcquire("t3", "w3", ["src/b.cs"]).Acquired);

        Assert.Equal(1, capture.Of(Instruments.LockConflicts).Sum(m => m.Value));
    }

    [Fact]
    public async Task Every_heartbeat_is_timed()
    {
        using var capture = new TelemetryCapture();
        var started = new TaskCompletionSource<TaskContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var f = new TelemetryFixture(async (input, context) =>
        {
            started.TrySetResult(context);
            await release.Task;
            return input;
        });
        var id = f.Engine.Submit(f.Kind, 1);

        await using (var group = new WorkerGroup(f.Engine, new WorkerGroupOptions { Concurrency = 1, Name = "g", SweepInterval = TimeSpan.FromDays(1) }))
        {
            group.Start();
            var context = await started.Task;
            for (var i = 0; i < 3; i++)
            {
                f.Time.Advance(f.Engine.Claims.Options.HeartbeatInterval);
            }

            context.Heartbeat();
            release.SetResult();
            await f.Engine.WaitForCompletionAsync(id);
        }

        var heartbeats = capture.Of(Instruments.HeartbeatDuration);
        Assert.Equal(4, heartbeats.Count); // three on the timer, one the handler asked for
        Assert.All(heartbeats, m => Assert.Equal(0, m.Value)); // the in-memory renewal takes no time on the engine's clock
    }

    [Fact]
    public void The_queue_depth_is_the_ready_tasks_of_the_live_engines()
    {
        using var capture = new TelemetryCapture();
        // The gauge counts every engine not yet collected. Engines earlier tests dropped, queues full, are collected
        // here rather than between two reads below.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = Depth(capture);
        var f = TelemetryFixture.Echo();
        f.Engine.Submit(f.Kind, 1);
        f.Engine.Submit(f.Kind, 2);
        f.Engine.Submit(f.Kind, 3);

        Assert.Equal(before + 3, Depth(capture));
        Assert.True(f.Engine.Queue.TryDequeue(out var next));
        f.Start(next);
        Assert.Equal(before + 2, Depth(capture));
        f.Dispose();
        Assert.Equal(before, Depth(capture));
    }

    private static double Depth(TelemetryCapture capture)
    {
        var seen = capture.Of(Instruments.QueueDepth).Count;
        capture.Observe();
        return capture.Of(Instruments.QueueDepth)[seen].Value;
    }
}
