using Weaver;

namespace FileLocks;

/// <summary>
/// The files the agents edit, in memory. Saves are fenced: each file remembers the highest lock epoch it was written
/// under and refuses a save under a lower one, so an agent that lost its lock can never overwrite a newer edit.
/// </summary>
/// <remarks>
/// It also notes who is editing which file at each moment, so the sample can show that conflicting edits never
/// overlapped and disjoint ones did.
/// </remarks>
public sealed class Repository
{
    private readonly Lock _gate = new();
    private readonly ResourceLockManager _locks;
    private readonly Dictionary<string, FileState> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _editing = new(StringComparer.Ordinal);
    private readonly List<string> _collisions = [];
    private readonly HashSet<(string First, string Second)> _sideBySide = [];
    private readonly List<TimelineEntry> _saves = [];

    /// <param name="files">The repository's files.</param>
    /// <param name="locks">The locks the agents' tasks hold: a file's fencing token is the epoch of the lock on it.</param>
    /// <param name="time">The clock edits take their time on.</param>
    /// <param name="editTime">How long an agent works on its files before it saves them.</param>
    public Repository(IEnumerable<string> files, ResourceLockManager locks, TimeProvider time, TimeSpan editTime)
    {
        foreach (var file in files)
        {
            _files[Key(file)] = new FileState([], 0);
        }

        _locks = locks;
        Time = time;
        EditTime = editTime;
    }

    public TimeProvider Time { get; }

    public TimeSpan EditTime { get; }

    /// <summary>Times two agents edited the same file at once; empty when the locks did their job.</summary>
    public IReadOnlyList<string> Collisions => Read(() => _collisions.ToArray());

    /// <summary>Pairs of tasks that were editing (different files) at the same moment.</summary>
    public IReadOnlyList<(string First, string Second)> SideBySide => Read(() => _sideBySide.Order().ToArray());

    /// <summary>Every save, accepted or rejected, for the timeline.</summary>
    public IReadOnlyList<TimelineEntry> Saves => Read(() => _saves.ToArray());

    /// <summary>The changes saved to <paramref name="file"/>, oldest first.</summary>
    public IReadOnlyList<string> Changes(string file) => Read(() => _files[Key(file)].Changes.ToArray());

    /// <summary>
    /// Opens <paramref name="files"/> for a task that holds their locks: each file's fencing token is the epoch of the lock
    /// the task's worker holds on it.
    /// </summary>
    public EditSession Open(string taskId, string owner, IReadOnlyList<string> files)
    {
        var tokens = files.Select(Key).ToDictionary(
            file => file,
            file => _locks.TryGetHolder(file, out var holder) && holder.TaskId == taskId && holder.Owner == owner
                ? holder.Epoch
                : throw new InvalidOperationException($"Task '{taskId}' on '{owner}' does not hold the lock on {file}: declare every file a task edits as its resource."),
            StringComparer.Ordinal);
        return new EditSession(this, taskId, owner, tokens);
    }

    /// <summary>
    /// Saves <paramref name="change"/> to every file of the session, or to none: when any file was already written
    /// under a newer lock epoch, throws <see cref="StaleLockException"/>.
    /// </summary>
    internal void Save(EditSession session, string change)
    {
        lock (_gate)
        {
            var now = Time.GetUtcNow();
            foreach (var (file, token) in session.Tokens)
            {
                if (_files[file].Epoch > token)
                {
                    var rejected = new StaleLockException(session, file, token, _files[file].Epoch);
                    _saves.Add(new TimelineEntry(now, session.TaskId, session.Owner, $"save REJECTED: {rejected.Message}"));
                    throw rejected;
                }
            }

            foreach (var (file, token) in session.Tokens)
            {
                var state = _files[file];
                state.Changes.Add($"{change} ({session.TaskId}, lock epoch {token})");
                _files[file] = state with { Epoch = token };
            }

            var written = string.Join(", ", session.Tokens.Select(t => $"{t.Key}@{t.Value}"));
            _saves.Add(new TimelineEntry(now, session.TaskId, session.Owner, $"saves {written}"));
        }
    }

    internal void BeginEditing(EditSession session)
    {
        lock (_gate)
        {
            foreach (var other in _editing.Values.Distinct().Where(task => task != session.TaskId))
            {
                _ = _sideBySide.Add(string.CompareOrdinal(other, session.TaskId) < 0 ? (other, session.TaskId) : (session.TaskId, other));
            }

            foreach (var file in session.Tokens.Keys)
            {
                if (_editing.TryGetValue(file, out var editor))
                {
                    _collisions.Add($"{session.TaskId} began editing {file} while {editor} was editing it");
                }

                _editing[file] = session.TaskId;
            }
        }
    }

    internal void EndEditing(EditSession session)
    {
        lock (_gate)
        {
            foreach (var file in session.Tokens.Keys.Where(file => _editing.GetValueOrDefault(file) == session.TaskId))
            {
                _ = _editing.Remove(file);
            }
        }
    }

    /// <summary>Files are named as lock keys are, so two spellings of one path are one file.</summary>
    private static string Key(string file) => ResourceKey.Normalize(file).Value;

    private T Read<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    private sealed record FileState(List<string> Changes, long Epoch);
}
