using Microsoft.Extensions.Time.Testing;

namespace Weaver.Hosting.Tests;

/// <summary>A real generic host with <c>UseInMemory</c>: it runs jobs, serves its services before it starts, and stops gracefully.</summary>
public sealed class InMemoryHostTests
{
    /// <summary>A guard against a hang only: every wait below ends as soon as what it waits for happens.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_started_host_runs_jobs_through_its_client_and_workers()
    {
        using var host = TestHosts.Build(o =>
        {
            o.UseInMemory();
            o.WorkerCount = 2;
            o.WorkerName = "memory-host";
        });
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IWeaverClient>();
        var runtime = host.Services.GetRequiredService<WeaverRuntime>();

        var id = await client.SubmitJobAsync(TestHosts.Job("shout", "hello"));
        var result = await client.WaitForJobAsync(id).WaitAsync(Guard);

        Assert.Equal(JobLifecycle.State.Succeeded, result.State);
        Assert.Equal("HELLO", result.Results["only"]);
        Assert.IsType<TaskEngine>(await runtime.GetStoreAsync());
        var history = await host.Services.GetRequiredService<IWeaverStore>().GetHistoryAsync($"{id}/only");
        Assert.StartsWith("memory-host/", history.Single(e => e.Kind == TaskEventKind.AttemptStarted).Owner, StringComparison.Ordinal);
        Assert.NotNull(runtime.Workers);
        Assert.Equal(["gated", "scoped", "shout"], host.Services.GetRequiredService<HandlerRegistry>().Names.Order(StringComparer.Ordinal));
        await host.StopAsync();
    }

    [Fact]
    public async Task Services_resolved_before_the_host_starts_open_the_one_store_and_wait_for_the_workers()
    {
        using var host = TestHosts.Build(o => o.UseInMemory());
        var client = host.Services.GetRequiredService<IWeaverClient>();
        var store = host.Services.GetRequiredService<IWeaverStore>();
        var runtime = host.Services.GetRequiredService<WeaverRuntime>();

        var id = await client.SubmitJobAsync(TestHosts.Job("shout", "early"));
        var engine = await runtime.GetStoreAsync();
        Assert.Null(runtime.Workers);
        Assert.Equal(TaskLifecycle.State.Queued, (await store.GetTaskAsync($"{id}/only"))!.State);

        await host.StartAsync();
        var result = await client.WaitForJobAsync(id).WaitAsync(Guard);

        Assert.Equal("EARLY", result.Results["only"]);
        Assert.Same(engine, await runtime.GetStoreAsync());
        await host.StopAsync();
    }

    [Fact]
    public async Task Stopping_lets_a_running_handler_finish_within_its_grace()
    {
        var time = new FakeTimeProvider();
        var gate = Gate.New();
        using var host = TestHosts.Build(o =>
        {
            o.UseInMemory();
            o.ShutdownGrace = TimeSpan.FromSeconds(10);
        }, time);
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IWeaverClient>();
        var id = await client.SubmitJobAsync(TestHosts.Job("gated", gate.Name));
        await gate.Started.Task.WaitAsync(Guard);

        var stopping = host.StopAsync();
        Assert.False(stopping.IsCompleted);
        gate.Open.SetResult();
        await stopping.WaitAsync(Guard);

        var result = await client.WaitForJobAsync(id).WaitAsync(Guard);
        Assert.Equal(JobLifecycle.State.Succeeded, result.State);
        Assert.Equal($"{gate.Name} passed", result.Results["only"]);
        Assert.False(gate.Cancelled.Task.IsCompleted);
    }

    [Fact]
    public async Task A_handler_still_running_when_the_grace_ends_is_cancelled_and_its_task_handed_back()
    {
        var time = new FakeTimeProvider();
        var gate = Gate.New();
        using var host = TestHosts.Build(o =>
        {
            o.UseInMemory();
            o.ShutdownGrace = TimeSpan.FromSeconds(10);
        }, time);
        await host.StartAsync();
        var id = await host.Services.GetRequiredService<IWeaverClient>().SubmitJobAsync(TestHosts.Job("gated", gate.Name));
        var context = await gate.Started.Task.WaitAsync(Guard);

        var stopping = host.StopAsync();
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(context.CancellationToken.IsCancellationRequested);
        Assert.False(stopping.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await stopping.WaitAsync(Guard);

        await gate.Cancelled.Task.WaitAsync(Guard);
        await AssertHandedBackAsync(host, $"{id}/only");
    }

    [Fact]
    public async Task Without_a_grace_of_its_own_a_running_handler_runs_until_the_hosts_shutdown_timeout_ends_the_stop()
    {
        var time = new FakeTimeProvider();
        var gate = Gate.New();
        using var host = TestHosts.Build(o => o.UseInMemory(), time);
        await host.StartAsync();
        var id = await host.Services.GetRequiredService<IWeaverClient>().SubmitJobAsync(TestHosts.Job("gated", gate.Name));
        var context = await gate.Started.Task.WaitAsync(Guard);

        // The host links this token with its own HostOptions.ShutdownTimeout; cancelling it is that timeout, without waiting for it.
        using var shutdownTimeout = new CancellationTokenSource();
        var stopping = host.StopAsync(shutdownTimeout.Token);
        for (var i = 0; i < 20; i++)
        {
            time.Advance(TimeSpan.FromSeconds(30)); // ten minutes, in steps the attempt's heartbeats keep up with
        }

        Assert.False(context.CancellationToken.IsCancellationRequested);
        Assert.False(stopping.IsCompleted);
        await shutdownTimeout.CancelAsync();
        await stopping.WaitAsync(Guard);

        await gate.Cancelled.Task.WaitAsync(Guard);
        await AssertHandedBackAsync(host, $"{id}/only");
    }

    [Fact]
    public async Task Disposing_the_host_closes_the_store_and_the_client()
    {
        var host = TestHosts.Build(o => o.UseInMemory());
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IWeaverClient>();
        var id = await client.SubmitJobAsync(TestHosts.Job("shout", "bye"));
        await client.WaitForJobAsync(id).WaitAsync(Guard);
        await host.StopAsync();

        host.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.GetStatusAsync(id));
    }

    private static async Task AssertHandedBackAsync(IHost host, string taskId)
    {
        var store = host.Services.GetRequiredService<IWeaverStore>();
        var task = await store.GetTaskAsync(taskId);
        Assert.Equal(TaskLifecycle.State.Queued, task!.State);
        var abandoned = (await store.GetHistoryAsync(taskId)).Single(e => e.Kind == TaskEventKind.Abandoned);
        Assert.Contains("shut down before the attempt finished", abandoned.Detail, StringComparison.Ordinal);
    }
}
