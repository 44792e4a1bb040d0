namespace Weaver.Stores.Tests.Workers;

/// <summary>
/// Waits for a store-backed worker group to bring a task to a state. The group commits on its own threads and a store has
/// no completion callback, so the test reads the store until the condition holds or a real-time deadline passes; the
/// failure message shows the task as it was last read.
/// </summary>
internal static class StorePolling
{
    public static async Task<StoredTask> UntilAsync(IWeaverStore store, string id, Func<StoredTask, bool> condition, string what, TimeSpan? timeout = null, Action? nudge = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        var nextNudge = DateTime.UtcNow + NudgeEvery;
        StoredTask? task = null;
        while (DateTime.UtcNow < deadline)
        {
            task = await store.GetTaskAsync(id);
            if (task is not null && condition(task))
            {
                return task;
            }

            if (nudge is not null && DateTime.UtcNow >= nextNudge)
            {
                nudge();
                nextNudge = DateTime.UtcNow + NudgeEvery;
            }

            await Task.Delay(5);
        }

        throw new Xunit.Sdk.XunitException($"Task '{id}' never became {what}; last read: {task}");
    }

    /// <summary>How long a condition may stay false before <c>nudge</c> (say, moving a fake clock on) is called again.</summary>
    private static readonly TimeSpan NudgeEvery = TimeSpan.FromMilliseconds(250);

    public static Task<StoredTask> UntilEndedAsync(IWeaverStore store, string id, Action? nudge = null) =>
        UntilAsync(store, id, static task => task.IsTerminal, "terminal", nudge: nudge);
}
