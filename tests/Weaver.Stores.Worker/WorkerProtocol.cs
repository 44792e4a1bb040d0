using System.Globalization;

namespace Weaver.Stores.Worker;

/// <summary>
/// What the store test worker and the multi-process tests agree on: the task kind it runs, its input and result, and
/// the lines it prints on stdout, one per event, tab-separated. The test project compiles this same file (a linked
/// item), so both sides read and write one format.
/// </summary>
internal static class WorkerProtocol
{
    /// <summary>The one task kind the worker has a handler for.</summary>
    public const string Kind = "store-work";

    /// <summary>Printed once the worker group runs: <c>ready name pid</c>.</summary>
    public const string Ready = "ready";

    /// <summary>A handler returned (before its commit): <c>finished task owner epoch attempt</c>.</summary>
    public const string Finished = "finished";

    /// <summary>The store accepted a commit: <c>committed task owner epoch</c>.</summary>
    public const string Committed = "committed";

    /// <summary>
    /// The store rejected a write because its lease was lost: <c>rejected task owner epoch operation</c>, the operation
    /// being <c>commit</c>, <c>failure</c>, <c>hand-back</c> or <c>heartbeat</c>.
    /// </summary>
    public const string Rejected = "rejected";

    /// <summary>
    /// A write could not be made: the store threw (unreachable, busy). <c>unwritten task owner epoch operation error</c>.
    /// Whether a commit that threw was applied is unknown to the worker.
    /// </summary>
    public const string Unwritten = "unwritten";

    /// <summary>The worker group stopped gracefully: <c>stopped name</c>.</summary>
    public const string Stopped = "stopped";

    /// <summary>Formats one line: the fields joined by tabs; tabs and line breaks inside a field become spaces.</summary>
    /// <param name="fields">The event name, then its fields.</param>
    /// <returns>The line.</returns>
    public static string Line(params object[] fields) =>
        string.Join('\t', fields.Select(f => Clean(Convert.ToString(f, CultureInfo.InvariantCulture) ?? "")));

    /// <summary>Reads a line the worker printed; <see langword="null"/> for a line that is not a protocol line.</summary>
    /// <param name="line">The line.</param>
    /// <returns>The event.</returns>
    public static WorkerLine? Parse(string line)
    {
        var fields = line.Split('\t');
        return fields[0] switch
        {
            Ready when fields.Length == 3 => new WorkerLine(Ready, TaskId: null, Owner: fields[1], Epoch: 0, Detail: fields[2]),
            Stopped when fields.Length == 2 => new WorkerLine(Stopped, TaskId: null, Owner: fields[1], Epoch: 0, Detail: null),
            Finished when fields.Length == 5 && TryEpoch(fields[3], out var epoch) => new WorkerLine(Finished, fields[1], fields[2], epoch, fields[4]),
            Committed when fields.Length == 4 && TryEpoch(fields[3], out var epoch) => new WorkerLine(Committed, fields[1], fields[2], epoch, null),
            Rejected when fields.Length == 5 && TryEpoch(fields[3], out var epoch) => new WorkerLine(Rejected, fields[1], fields[2], epoch, fields[4]),
            Unwritten when fields.Length == 6 && TryEpoch(fields[3], out var epoch) => new WorkerLine(Unwritten, fields[1], fields[2], epoch, $"{fields[4]}: {fields[5]}"),
            _ => null,
        };
    }

    private static bool TryEpoch(string text, out long epoch) => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out epoch);

    private static string Clean(string field) => field.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
}

/// <summary>One line the worker printed.</summary>
/// <param name="Event">Which: <see cref="WorkerProtocol.Finished"/>, <see cref="WorkerProtocol.Committed"/>, and so on.</param>
/// <param name="TaskId">The task, for task events.</param>
/// <param name="Owner">The attempt's owner (a task event) or the worker's name (ready, stopped).</param>
/// <param name="Epoch">The attempt's lease epoch; 0 for worker events.</param>
/// <param name="Detail">The attempt number (finished), the operation (rejected), the operation and error (unwritten), the pid (ready).</param>
internal sealed record WorkerLine(string Event, string? TaskId, string Owner, long Epoch, string? Detail);

/// <summary>A task's input: which of the test's tasks it is.</summary>
/// <param name="Number">Its number in the test's pool.</param>
public sealed record WorkItem(int Number);

/// <summary>What the handler returns: the task and the attempt that ran it, so that a result names its worker.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="Number">Its input's number.</param>
/// <param name="Owner">The attempt's lease owner (<c>{worker name}/{slot}</c>).</param>
/// <param name="Epoch">The attempt's lease epoch.</param>
/// <param name="Attempt">The attempt's number.</param>
public sealed record WorkDone(string TaskId, int Number, string Owner, long Epoch, int Attempt);
