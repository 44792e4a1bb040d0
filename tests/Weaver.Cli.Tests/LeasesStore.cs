using Microsoft.Extensions.Time.Testing;
using Weaver.Sqlite;

namespace Weaver.Cli.Tests;

/// <summary>
/// A SQLite store filled once, through the store API, for the lease and lock tests: running tasks whose leases are live
/// or stale, a queued task, held and stale resource locks. weaver judges leases by the system clock (it is a store on
/// this machine), so the live ones are claimed at the real time now with leases that last over an hour, and the stale
/// ones two days earlier on the same fake clock: no test depends on how fast it runs.
/// </summary>
public sealed class LeasesStore : IAsyncLifetime
{
    /// <summary>Leases last 1 h, plus two missed heartbeats of 10 min: live for 80 minutes after a claim.</summary>
    public static readonly LeaseOptions Leases = new()
    {
        LeaseDuration = TimeSpan.FromHours(1),
        HeartbeatInterval = TimeSpan.FromMinutes(10),
        StaleAfterMissedHeartbeats = 2,
    };

    public LeasesStore() => Folder = Directory.CreateTempSubdirectory("weaver-cli-").FullName;

    /// <summary>The folder of the database file (deleted on dispose).</summary>
    public string Folder { get; }

    /// <summary>The database file.</summary>
    public string Path => System.IO.Path.Combine(Folder, "weaver.db");

    /// <summary>The real time the live leases were claimed at.</summary>
    public DateTimeOffset ClaimedAt { get; private set; }

    /// <summary>The live attempt of <c>render-logo</c>, which holds <c>assets/logo.png</c>.</summary>
    public StoredAttempt Live { get; private set; } = null!;

    /// <summary>The attempt of <c>crawl-site</c>, claimed two days ago and never renewed.</summary>
    public StoredAttempt Stale { get; private set; } = null!;

    /// <summary>The standalone lock of task <c>deploy</c> on <c>envs/prod</c>.</summary>
    public ResourceLease DeployLock { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var now = TimeProvider.System.GetUtcNow();
        var clock = new FakeTimeProvider(now.AddDays(-2));
        await using var store = await SqliteWeaverStore.OpenAsync(new SqliteStoreOptions { Path = Path, Leases = Leases, TimeProvider = clock });

        // Two days ago: a task claimed by a worker that then stopped, and a lock whose holder stopped too.
        await store.CreateTaskAsync(new NewTask("crawl-site", "crawl", """{"url":"https://example.org"}""", RetryPolicy.Default));
        Stale = Assert.Single(await store.ClaimAsync("worker-b/1", 1, ["crawl"]));
        Assert.True((await store.TryAcquireLocksAsync("old-deploy", "ops-0", ["envs/staging"])).Acquired);

        // Now: a running task that holds a resource, a standalone lock, and a task nobody claimed.
        clock.SetUtcNow(now);
        ClaimedAt = now;
        await store.CreateTaskAsync(new NewTask("render-logo", "render", null, RetryPolicy.Default) { Resources = ["assets/logo.png"] });
        await store.CreateTaskAsync(new NewTask("queued-report", "report", null, RetryPolicy.Default));
        Live = Assert.Single(await store.ClaimAsync("worker-a/0", 1, ["render"]));
        DeployLock = (await store.TryAcquireLocksAsync("deploy", "ops-1", ["envs/prod"])).Lease
            ?? throw new InvalidOperationException("The deploy lock was refused.");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }
}
