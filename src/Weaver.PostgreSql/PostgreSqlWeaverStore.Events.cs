using NpgsqlTypes;

namespace Weaver.PostgreSql;

public sealed partial class PostgreSqlWeaverStore
{
    private static readonly Dictionary<string, TaskEventKind> EventKinds =
        Enum.GetValues<TaskEventKind>().ToDictionary(kind => kind.ToString(), StringComparer.Ordinal);

    private static readonly Dictionary<string, AttemptOutcome> Outcomes =
        Enum.GetValues<AttemptOutcome>().ToDictionary(outcome => outcome.ToString(), StringComparer.Ordinal);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<TaskEvent>> GetHistoryAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return await RunAsync($"read the history of task '{id}'", async (s, ct) =>
        {
            await using var command = s.Command(
                $"""
                SELECT seq, at, kind, attempt, owner, epoch, detail, decision_policy, decision_evidence, decision_change, outcome
                FROM {_s}.task_events WHERE task_id = @id ORDER BY seq
                """).Text("id", id);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var events = new List<TaskEvent>();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var row = $"{reader.GetInt64(0)} (task '{id}')";
                var kindText = reader.GetString(2);
                if (!EventKinds.TryGetValue(kindText, out var kind))
                {
                    throw new StoreRowException($"{Schema}.task_events", row,
                        $"its kind '{kindText}' is not a task event kind; allowed: {string.Join(", ", EventKinds.Keys)}.");
                }

                AttemptOutcome? outcome = null;
                if (reader.NullableText(10) is { } outcomeText)
                {
                    outcome = Outcomes.TryGetValue(outcomeText, out var parsed)
                        ? parsed
                        : throw new StoreRowException($"{Schema}.task_events", row,
                            $"its outcome '{outcomeText}' is not an attempt outcome; allowed: {string.Join(", ", Outcomes.Keys)}, or null.");
                }

                var policy = reader.NullableText(7);
                events.Add(new TaskEvent(reader.Time(1), kind, reader.GetInt32(3), reader.NullableText(4), reader.GetInt64(5), reader.GetString(6))
                {
                    Decision = policy is null ? null : new Decision(policy, reader.NullableText(8) ?? "", reader.NullableText(9) ?? ""),
                    Outcome = outcome,
                });
            }

            return (IReadOnlyList<TaskEvent>)events;
        }, recover: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The columns of one event row that come from the event itself, for a statement that inserts a single event; its
    /// values are <see cref="OneEventValues"/>, given by <see cref="WithOneEvent"/>. The statement supplies
    /// <c>task_id</c>, <c>at</c>, <c>epoch</c> and <c>write_id</c>, which it judges or already has.
    /// </summary>
    private const string OneEventColumns = "kind, attempt, owner, detail, decision_policy, decision_evidence, decision_change, outcome";

    /// <summary>The parameters <see cref="WithOneEvent"/> gives, in <see cref="OneEventColumns"/>' order.</summary>
    private const string OneEventValues = "@kind, @attempt, @owner, @detail, @policy, @evidence, @change, @outcome";

    /// <summary>Gives <paramref name="command"/> the parameters of <see cref="OneEventValues"/> for <paramref name="recorded"/>.</summary>
    private static Npgsql.NpgsqlCommand WithOneEvent(Npgsql.NpgsqlCommand command, TaskEvent recorded) =>
        command.Text("kind", recorded.Kind.ToString()).Int("attempt", recorded.Attempt).Text("owner", recorded.Owner).Text("detail", recorded.Detail)
            .Text("policy", recorded.Decision?.Policy).Text("evidence", recorded.Decision?.Evidence).Text("change", recorded.Decision?.Change)
            .Text("outcome", recorded.Outcome?.ToString());

    /// <summary>Adds events in order (their sequence numbers follow the list), each marked with the write's id.</summary>
    private async Task InsertEventsAsync(Session s, IReadOnlyList<(string TaskId, TaskEvent Event)> events, Guid writeId, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return;
        }

        await using var command = s.Command(
            $"""
            INSERT INTO {_s}.task_events
                (task_id, at, kind, attempt, owner, epoch, detail, decision_policy, decision_evidence, decision_change, outcome, write_id)
            SELECT u.task_id, u.at, u.kind, u.attempt, u.owner, u.epoch, u.detail, u.policy, u.evidence, u.change, u.outcome, @write
            FROM unnest(@task_ids, @ats, @kinds, @attempts, @owners, @epochs, @details, @policies, @evidences, @changes, @outcomes)
                WITH ORDINALITY AS u(task_id, at, kind, attempt, owner, epoch, detail, policy, evidence, change, outcome, i)
            ORDER BY u.i
            """);
        command.Parameters.Add(new("task_ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => e.TaskId).ToArray() });
        command.Parameters.Add(new("ats", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = events.Select(e => e.Event.At.ToUniversalTime()).ToArray() });
        command.Parameters.Add(new("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => e.Event.Kind.ToString()).ToArray() });
        command.Parameters.Add(new("attempts", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = events.Select(e => e.Event.Attempt).ToArray() });
        command.Parameters.Add(new("owners", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => e.Event.Owner).ToArray() });
        command.Parameters.Add(new("epochs", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = events.Select(e => e.Event.Epoch).ToArray() });
        command.Parameters.Add(new("details", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => e.Event.Detail).ToArray() });
        command.Parameters.Add(new("policies", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => e.Event.Decision?.Policy).ToArray() });
        command.Parameters.Add(new("evidences", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => e.Event.Decision?.Evidence).ToArray() });
        command.Parameters.Add(new("changes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => e.Event.Decision?.Change).ToArray() });
        command.Parameters.Add(new("outcomes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => e.Event.Outcome?.ToString()).ToArray() });
        command.Uuid("write", writeId);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Records a rejected write of an attempt (its write matched no row): the event is added only if the task exists
    /// (as in memory, a write to a task the store does not hold is refused and recorded nowhere).
    /// </summary>
    private async Task RecordRejectedAsync(Session s, StoredAttempt attempt, TaskEvent rejected, Guid writeId, CancellationToken ct)
    {
        var taskId = attempt.TaskId;
        s.Telemetry.CountOnCommit(attempt.Kind, rejected);
        await using var command = s.Command(
            $"""
            INSERT INTO {_s}.task_events (task_id, at, kind, attempt, owner, epoch, detail, write_id)
            SELECT @id, @at, @kind, @attempt, @owner, @epoch, @detail, @write
            WHERE EXISTS (SELECT 1 FROM {_s}.tasks WHERE id = @id)
            """)
            .Text("id", taskId).Time("at", rejected.At).Text("kind", rejected.Kind.ToString()).Int("attempt", rejected.Attempt)
            .Text("owner", rejected.Owner).Long("epoch", rejected.Epoch).Text("detail", rejected.Detail).Uuid("write", writeId);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The recovery of a worker write: when events with its write id exist, the lost try committed, and it was accepted
    /// unless its only event is the rejection.
    /// </summary>
    private Func<Session, CancellationToken, Task<Recovered<bool>>> RecoverWrite(Guid writeId) => async (s, ct) =>
    {
        await using var command = s.Command($"SELECT kind FROM {_s}.task_events WHERE write_id = @write").Uuid("write", writeId);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var kinds = new List<string>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            kinds.Add(reader.GetString(0));
        }

        return kinds.Count == 0
            ? Recovered<bool>.No
            : Recovered<bool>.Yes(kinds.Any(kind => kind != nameof(TaskEventKind.WriteRejected)));
    };
}
