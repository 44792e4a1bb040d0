using Microsoft.Extensions.Time.Testing;

namespace Weaver.Stores.Tests.Conformance;

/// <summary>A fresh store under test, with its setup and the few steps most tests take.</summary>
/// <param name="store">The store.</param>
/// <param name="setup">What it was created with.</param>
public sealed class StoreHarness(IWeaverStore store, StoreSetup setup) : IAsyncDisposable
{
    /// <summary>One millisecond: the smallest step a test moves the clock by (the in-memory lease clock counts whole milliseconds).</summary>
    public static readonly TimeSpan Millisecond = TimeSpan.FromMilliseconds(1);

    /// <summary>The store.</summary>
    public IWeaverStore Store { get; } = store;

    /// <summary>What it was created with.</summary>
    public StoreSetup Setup { get; } = setup;

    /// <summary>The store's clock.</summary>
    public FakeTimeProvider Time => Setup.Time;

    /// <summary>Now, by the store's clock.</summary>
    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>How long after a claim or renewal a lease goes stale.</summary>
    public TimeSpan StaleAfter => Setup.Leases.StaleAfter;

    /// <summary>Moves the clock on.</summary>
    /// <param name="by">How far.</param>
    public void Advance(TimeSpan by) => Time.Advance(by);

    /// <summary>Moves the clock one millisecond past the stale threshold of a lease claimed or renewed now.</summary>
    public void GoStale() => Advance(StaleAfter + Millisecond);

    /// <summary>Creates a task.</summary>
    /// <param name="id">Its id.</param>
    /// <param name="kind">Its kind; "echo" when null.</param>
    /// <param name="input">Its input.</param>
    /// <param name="retry">Its retry policy; <see cref="Policies.ThreeTries"/> when null.</param>
    /// <param name="resources">Its resource keys.</param>
    /// <param name="job">Its job reference.</param>
    /// <returns>The stored task.</returns>
    public async Task<StoredTask> CreateAsync(string id, string? kind = null, string? input = "{}", RetryPolicy? retry = null, IReadOnlyList<string>? resources = null, JobTaskRef? job = null) =>
        await Store.CreateTaskAsync(new NewTask(id, kind ?? "echo", input, retry ?? Policies.ThreeTries) { Resources = resources ?? [], Job = job });

    /// <summary>Claims and expects exactly one attempt.</summary>
    /// <param name="owner">The worker.</param>
    /// <param name="kinds">The kinds; the setup's kinds when none are given.</param>
    /// <returns>The attempt.</returns>
    public async Task<StoredAttempt> ClaimOneAsync(string owner = "w1", params string[] kinds)
    {
        var claimed = await Store.ClaimAsync(owner, 1, kinds.Length == 0 ? Setup.Kinds.ToArray() : kinds);
        return Assert.Single(claimed);
    }

    /// <summary>Claims up to <paramref name="max"/> tasks of the setup's kinds.</summary>
    /// <param name="owner">The worker.</param>
    /// <param name="max">At most this many.</param>
    /// <returns>The attempts.</returns>
    public async Task<IReadOnlyList<StoredAttempt>> ClaimAsync(string owner = "w1", int max = 100) =>
        await Store.ClaimAsync(owner, max, Setup.Kinds.ToArray());

    /// <summary>The task, which must exist.</summary>
    /// <param name="id">Its id.</param>
    /// <returns>The task.</returns>
    public async Task<StoredTask> GetAsync(string id) =>
        await Store.GetTaskAsync(id) ?? throw new Xunit.Sdk.XunitException($"Task '{id}' is not in the store.");

    /// <summary>The task's history.</summary>
    /// <param name="id">Its id.</param>
    /// <returns>The events, oldest first.</returns>
    public async Task<IReadOnlyList<TaskEvent>> HistoryAsync(string id) => await Store.GetHistoryAsync(id);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
