namespace Weaver;

/// <summary>Runs a coordinator's tasks on the in-memory <see cref="TaskEngine"/> of the same process.</summary>
internal sealed class EngineJobTasks : IJobTasks
{
    private readonly TaskEngine _engine;

    public EngineJobTasks(TaskEngine engine)
    {
        _engine = engine;
        _engine.AttemptEnded += OnAttemptEnded;
    }

    public event Action<TaskSnapshot>? AttemptEnded;

    public TimeProvider TimeProvider => _engine.TimeProvider;

    public RetryPolicy DefaultRetry => _engine.DefaultRetry;

    public HandlerRegistry Handlers => _engine.Handlers;

    public object? Keep(string taskId, object? input) => input;

    public void Submit(string id, string kind, object? input, RetryPolicy retry, IReadOnlyList<string> resources, JobTaskRef? job) =>
        _ = _engine.Submit(kind, input, retry, id, resources, job);

    public ValueTask<bool> TryCancelAsync(string id, CancellationToken cancellationToken = default) => ValueTask.FromResult(_engine.TryCancel(id));

    public Task<TaskSnapshot> WaitForCompletionAsync(string id, CancellationToken cancellationToken) => _engine.WaitForCompletionAsync(id, cancellationToken);

    public ValueTask<TaskSnapshot?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_engine.TryGet(id, out var task) ? task : null);

    public void Dispose() => _engine.AttemptEnded -= OnAttemptEnded;

    private void OnAttemptEnded(TaskSnapshot task) => AttemptEnded?.Invoke(task);
}
