namespace Weaver.Runtime.Tests.Outcomes;

/// <summary>One call of a probe handler's method: which method, and the snapshot an outcome method was given.</summary>
public sealed record OutcomeCall(string Method, TaskSnapshot? Task);

/// <summary>
/// What <see cref="OutcomeProbeHandler"/> did, by task id (handlers are created by their factory, so they report
/// here), with waits that complete when enough calls arrived: no test sleeps or polls.
/// </summary>
public sealed class OutcomeJournal
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<OutcomeCall>> _calls = new(StringComparer.Ordinal);
    private readonly List<(string TaskId, int Count, TaskCompletionSource Reached)> _waiters = [];
    private readonly Dictionary<string, TaskCompletionSource> _releases = new(StringComparer.Ordinal);

    public void Record(string taskId, string method, TaskSnapshot? snapshot)
    {
        var reached = new List<TaskCompletionSource>();
        lock (_gate)
        {
            var calls = CallsOf(taskId);
            calls.Add(new OutcomeCall(method, snapshot));
            foreach (var waiter in _waiters.Where(w => w.TaskId == taskId && calls.Count >= w.Count).ToList())
            {
                _waiters.Remove(waiter);
                reached.Add(waiter.Reached);
            }
        }

        reached.ForEach(r => r.TrySetResult());
    }

    /// <summary>The calls for <paramref name="taskId"/> so far, in order.</summary>
    public IReadOnlyList<OutcomeCall> Calls(string taskId)
    {
        lock (_gate)
        {
            return CallsOf(taskId).ToArray();
        }
    }

    /// <summary>Completes once <paramref name="count"/> calls were recorded for <paramref name="taskId"/>.</summary>
    public async Task<IReadOnlyList<OutcomeCall>> WaitForCallsAsync(string taskId, int count)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (CallsOf(taskId).Count >= count)
            {
                reached.SetResult();
            }
            else
            {
                _waiters.Add((taskId, count, reached));
            }
        }

        await reached.Task.WaitAsync(TimeSpan.FromMinutes(1));
        return Calls(taskId);
    }

    /// <summary>Completes when <see cref="Release"/> is called for <paramref name="taskId"/>.</summary>
    public Task Released(string taskId) => ReleaseOf(taskId).Task;

    public void Release(string taskId) => ReleaseOf(taskId).TrySetResult();

    private TaskCompletionSource ReleaseOf(string taskId)
    {
        lock (_gate)
        {
            if (!_releases.TryGetValue(taskId, out var release))
            {
                release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _releases.Add(taskId, release);
            }

            return release;
        }
    }

    private List<OutcomeCall> CallsOf(string taskId)
    {
        if (!_calls.TryGetValue(taskId, out var calls))
        {
            calls = [];
            _calls.Add(taskId, calls);
        }

        return calls;
    }
}
