using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Weaver.Runtime.Tests.Handlers;

/// <summary>A real <see cref="TaskContext"/> for handler tests: a lease claimed from a table on a fake clock, kept by a <see cref="LeaseKeeper"/>.</summary>
internal sealed class Attempt : IDisposable
{
    private readonly LeaseKeeper _keeper;

    public Attempt(string kind, string taskId = "task-1")
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var table = new ClaimTable<string>(timeProvider: time);
        Assert.True(table.TryClaim(taskId, "worker-1", out var lease));
        _keeper = new LeaseKeeper(table, lease, time);
        Context = new TaskContext(taskId, kind, attempt: 1, _keeper, NullLogger.Instance);
    }

    public TaskContext Context { get; }

    public void Dispose() => _keeper.Dispose();
}
