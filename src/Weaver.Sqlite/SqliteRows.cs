using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Weaver.Sqlite;

/// <summary>
/// Reading rows back into the contract's types. A value this version cannot read (an unknown state, a cost that is not a
/// number, a timestamp out of range) becomes a <see cref="StoreRowException"/> that names the table, the row and the
/// column; nothing here writes.
/// </summary>
internal static class SqliteRows
{
    internal const string TasksTable = "tasks";
    internal const string EventsTable = "task_events";

    /// <summary>The columns <see cref="ReadTask"/> reads, in its order.</summary>
    internal const string TaskColumns =
        "seq, id, kind, state, input, attempts, epoch, owner, lease_expires_at, due_at, lock_epoch, result, error, cost, "
        + "retry_max_attempts, retry_initial_delay, retry_multiplier, retry_max_delay, retry_jitter, job_id, job_task_id, created_at, "
        + "trace_parent, trace_state";

    /// <summary>The columns <see cref="ReadEvent"/> reads, in its order.</summary>
    internal const string EventColumns =
        "seq, at, kind, attempt, owner, epoch, detail, decision_policy, decision_evidence, decision_change, outcome";

    private static readonly FrozenDictionary<string, TaskLifecycle.State> States = Names<TaskLifecycle.State>();
    private static readonly FrozenDictionary<string, TaskEventKind> EventKinds = Names<TaskEventKind>();
    private static readonly FrozenDictionary<string, AttemptOutcome> Outcomes = Names<AttemptOutcome>();
    private static readonly FrozenDictionary<string, ArtifactKind> ArtifactKinds = Names<ArtifactKind>();

    /// <summary>A state's stored name.</summary>
    internal static string Name(TaskLifecycle.State state) => state.ToString();

    /// <summary>
    /// A task row as stored: the columns read with their storage types, the names and numbers not yet interpreted, so
    /// that a row with an unknown state can still be named and skipped.
    /// </summary>
    internal static TaskRow ReadTask(SqliteDataReader reader)
    {
        var id = reader.IsDBNull(1) ? "" : Convert.ToString(reader.GetValue(1), CultureInfo.InvariantCulture) ?? "";
        var cells = new Cells(reader, TasksTable, id);
        return new TaskRow(
            cells.Int64(0, "seq"),
            id,
            cells.Text(2, "kind"),
            cells.NullableText(3, "state"),
            cells.NullableText(4, "input"),
            cells.Int64(5, "attempts"),
            cells.Int64(6, "epoch"),
            cells.NullableText(7, "owner"),
            cells.NullableInt64(8, "lease_expires_at"),
            cells.NullableInt64(9, "due_at"),
            cells.NullableInt64(10, "lock_epoch"),
            cells.NullableText(11, "result"),
            cells.NullableText(12, "error"),
            cells.NullableText(13, "cost"),
            cells.Int64(14, "retry_max_attempts"),
            cells.Int64(15, "retry_initial_delay"),
            cells.Double(16, "retry_multiplier"),
            cells.Int64(17, "retry_max_delay"),
            cells.Double(18, "retry_jitter"),
            cells.NullableText(19, "job_id"),
            cells.NullableText(20, "job_task_id"),
            cells.Int64(21, "created_at"),
            cells.NullableText(22, "trace_parent"),
            cells.NullableText(23, "trace_state"));
    }

    /// <summary>The task's state, or the error that names the row when the stored name is not a state.</summary>
    internal static TaskLifecycle.State StateOf(TaskRow row) =>
        row.State is not null && States.TryGetValue(row.State, out var state)
            ? state
            : throw StoreRowException.UnknownTaskState(TasksTable, row.Id, row.State);

    /// <summary>The row as the contract's task.</summary>
    internal static StoredTask ToStoredTask(TaskRow row, IReadOnlyList<string> resources)
    {
        var state = StateOf(row);
        return new StoredTask(
            row.Id,
            row.Kind,
            state,
            row.Input,
            ToInt32(row, row.Attempts, "attempts"),
            RetryOf(row),
            row.Epoch,
            row.Owner,
            row.LeaseExpiresAt is { } lease ? Instant(row, lease, "lease_expires_at") : null,
            row.DueAt is { } due ? Instant(row, due, "due_at") : null,
            row.Result,
            row.Error,
            CostOf(row),
            Instant(row, row.CreatedAt, "created_at"))
        {
            Resources = resources,
            Job = JobOf(row),
            TraceParent = row.TraceParent,
            TraceState = row.TraceState,
        };
    }

    /// <summary>The task's retry policy, checked as a new task's would be.</summary>
    internal static RetryPolicy RetryOf(TaskRow row)
    {
        try
        {
            return new RetryPolicy
            {
                MaxAttempts = ToInt32(row, row.RetryMaxAttempts, "retry_max_attempts"),
                InitialDelay = TimeSpan.FromTicks(row.RetryInitialDelay),
                Multiplier = row.RetryMultiplier,
                MaxDelay = TimeSpan.FromTicks(row.RetryMaxDelay),
                Jitter = row.RetryJitter,
            }.Validate();
        }
        catch (ArgumentException error)
        {
            throw new StoreRowException(TasksTable, row.Id, $"its retry columns do not make a valid retry policy: {error.Message}", error);
        }
    }

    /// <summary>What the task's attempts cost, summed.</summary>
    internal static decimal CostOf(TaskRow row) =>
        decimal.TryParse(row.Cost, NumberStyles.Number, CultureInfo.InvariantCulture, out var cost)
            ? cost
            : throw new StoreRowException(TasksTable, row.Id, $"its column 'cost' holds '{row.Cost}', which is not a decimal number (invariant culture, such as '1.25').");

    /// <summary>A cost as stored.</summary>
    internal static string CostText(decimal cost) => cost.ToString(CultureInfo.InvariantCulture);

    /// <summary>The job and job task the task runs, if any.</summary>
    internal static JobTaskRef? JobOf(TaskRow row)
    {
        if (row.JobId is null && row.JobTaskId is null)
        {
            return null;
        }

        try
        {
            return new JobTaskRef(new JobId(row.JobId!), row.JobTaskId!);
        }
        catch (ArgumentException error)
        {
            throw new StoreRowException(
                TasksTable, row.Id, $"its columns 'job_id' ('{row.JobId}') and 'job_task_id' ('{row.JobTaskId}') do not name a job task: {error.Message}", error);
        }
    }

    /// <summary>An attempt count or number.</summary>
    internal static int ToInt32(TaskRow row, long value, string column) =>
        value is >= 0 and <= int.MaxValue
            ? (int)value
            : throw new StoreRowException(TasksTable, row.Id, $"its column '{column}' holds {value}; allowed: 0 to {int.MaxValue}.");

    /// <summary>A stored tick count as a UTC instant.</summary>
    internal static DateTimeOffset Instant(TaskRow row, long ticks, string column) => Instant(TasksTable, row.Id, ticks, column);

    /// <summary>A stored tick count as a UTC instant.</summary>
    internal static DateTimeOffset Instant(string table, string rowId, long ticks, string column) =>
        ticks is >= 0 and <= 3155378975999999999 // DateTime.MaxValue.Ticks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : throw new StoreRowException(table, rowId, $"its column '{column}' holds {ticks}, which is not a UTC tick count (0 to {DateTime.MaxValue.Ticks}).");

    /// <summary>A history event; the row is named "task id #seq".</summary>
    internal static TaskEvent ReadEvent(SqliteDataReader reader, string taskId)
    {
        var seq = reader.GetInt64(0);
        var rowId = string.Create(CultureInfo.InvariantCulture, $"{taskId} #{seq}");
        var cells = new Cells(reader, EventsTable, rowId);
        var kindName = cells.NullableText(2, "kind");
        if (kindName is null || !EventKinds.TryGetValue(kindName, out var kind))
        {
            throw new StoreRowException(EventsTable, rowId, $"its kind '{kindName}' is not an event kind; allowed: {string.Join(", ", Enum.GetNames<TaskEventKind>())}.");
        }

        var outcomeName = cells.NullableText(10, "outcome");
        AttemptOutcome? outcome = null;
        if (outcomeName is not null)
        {
            outcome = Outcomes.TryGetValue(outcomeName, out var known)
                ? known
                : throw new StoreRowException(EventsTable, rowId, $"its outcome '{outcomeName}' is not an attempt outcome; allowed: {string.Join(", ", Enum.GetNames<AttemptOutcome>())}.");
        }

        var policy = cells.NullableText(7, "decision_policy");
        var evidence = cells.NullableText(8, "decision_evidence");
        var change = cells.NullableText(9, "decision_change");
        var attempt = cells.Int64(3, "attempt");
        return new TaskEvent(
            Instant(EventsTable, rowId, cells.Int64(1, "at"), "at"),
            kind,
            attempt is >= 0 and <= int.MaxValue ? (int)attempt : throw new StoreRowException(EventsTable, rowId, $"its column 'attempt' holds {attempt}; allowed: 0 to {int.MaxValue}."),
            cells.NullableText(4, "owner"),
            cells.Int64(5, "epoch"),
            cells.Text(6, "detail"))
        {
            Decision = policy is null && evidence is null && change is null ? null : new Decision(policy ?? "", evidence ?? "", change ?? ""),
            Outcome = outcome,
        };
    }

    /// <summary>The parameters that store an event, named as in <see cref="EventColumns"/>.</summary>
    internal static (string, object?)[] EventParameters(string taskId, TaskEvent taskEvent) =>
    [
        ("$ev_task", taskId),
        ("$ev_at", taskEvent.At.UtcTicks),
        ("$ev_kind", taskEvent.Kind.ToString()),
        ("$ev_attempt", taskEvent.Attempt),
        ("$ev_owner", taskEvent.Owner),
        ("$ev_epoch", taskEvent.Epoch),
        ("$ev_detail", taskEvent.Detail),
        ("$ev_policy", taskEvent.Decision?.Policy),
        ("$ev_evidence", taskEvent.Decision?.Evidence),
        ("$ev_change", taskEvent.Decision?.Change),
        ("$ev_outcome", taskEvent.Outcome?.ToString()),
    ];

    /// <summary>An artifact's kind, or the error naming the row.</summary>
    internal static ArtifactKind ArtifactKindOf(string rowId, string? name) =>
        name is not null && ArtifactKinds.TryGetValue(name, out var kind)
            ? kind
            : throw new StoreRowException("artifacts", rowId, $"its kind '{name}' is not an artifact kind; allowed: {string.Join(", ", Enum.GetNames<ArtifactKind>())}.");

    // Exact names only: Enum.TryParse would also take numbers ("3") and comma lists ("Queued, Running").
    private static FrozenDictionary<string, T> Names<T>()
        where T : struct, Enum =>
        Enum.GetValues<T>().ToFrozenDictionary(value => value.ToString(), StringComparer.Ordinal);

    /// <summary>Typed reads of one row's cells, each failure naming the row and the column.</summary>
    private readonly struct Cells(SqliteDataReader reader, string table, string rowId)
    {
        public long Int64(int ordinal, string column) =>
            NullableInt64(ordinal, column) ?? throw new StoreRowException(table, rowId, $"its column '{column}' is NULL; it must hold an integer.");

        public long? NullableInt64(int ordinal, string column)
        {
            if (reader.IsDBNull(ordinal))
            {
                return null;
            }

            return reader.GetValue(ordinal) is long value
                ? value
                : throw new StoreRowException(table, rowId, $"its column '{column}' holds '{reader.GetValue(ordinal)}', which is not an integer.");
        }

        public double Double(int ordinal, string column) =>
            reader.IsDBNull(ordinal) ? throw new StoreRowException(table, rowId, $"its column '{column}' is NULL; it must hold a number.")
            : reader.GetValue(ordinal) switch
            {
                double value => value,
                long value => value,
                var other => throw new StoreRowException(table, rowId, $"its column '{column}' holds '{other}', which is not a number."),
            };

        public string Text(int ordinal, string column) =>
            NullableText(ordinal, column) ?? throw new StoreRowException(table, rowId, $"its column '{column}' is NULL; it must hold text.");

        public string? NullableText(int ordinal, string column)
        {
            if (reader.IsDBNull(ordinal))
            {
                return null;
            }

            return reader.GetValue(ordinal) is string value
                ? value
                : throw new StoreRowException(table, rowId, $"its column '{column}' holds '{reader.GetValue(ordinal)}', which is not text.");
        }
    }
}

/// <summary>A <c>tasks</c> row with its storage types (see <see cref="SqliteRows.ReadTask"/>).</summary>
internal sealed record TaskRow(
    long Seq,
    string Id,
    string Kind,
    string? State,
    string? Input,
    long Attempts,
    long Epoch,
    string? Owner,
    long? LeaseExpiresAt,
    long? DueAt,
    long? LockEpoch,
    string? Result,
    string? Error,
    string? Cost,
    long RetryMaxAttempts,
    long RetryInitialDelay,
    double RetryMultiplier,
    long RetryMaxDelay,
    double RetryJitter,
    string? JobId,
    string? JobTaskId,
    long CreatedAt,
    string? TraceParent,
    string? TraceState);
