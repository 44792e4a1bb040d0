using Npgsql;
using NpgsqlTypes;

namespace Weaver.Benchmarks.Stores;

/// <summary>
/// The floor of the PostgreSQL benchmarks: a task queue in plain SQL on one open connection. A claim is one
/// <c>UPDATE ... RETURNING</c> over a <c>SELECT ... FOR UPDATE SKIP LOCKED LIMIT batch</c> that gives each task an owner,
/// a new epoch and a lease (now() + 30 s); a completion is one <c>UPDATE</c> conditional on the owner, the epoch and a
/// live lease. Fenced like Weaver's claims and commits, with none of the rest: no history, attempt count, retry,
/// resources, jobs or reconnection.
/// </summary>
/// <param name="connectionString">A database of its own.</param>
public sealed class SkipLockedQueue(string connectionString) : IAsyncDisposable
{
    private const string Schema = "floor";
    private readonly NpgsqlConnection _connection = new(connectionString);

    /// <summary>Opens the connection and creates the table.</summary>
    /// <returns>A task that completes when the table exists.</returns>
    public async Task CreateAsync()
    {
        await _connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            $"""
            CREATE SCHEMA {Schema};
            CREATE TABLE {Schema}.tasks (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                kind text NOT NULL,
                input text,
                state smallint NOT NULL DEFAULT 0,
                owner text,
                epoch bigint NOT NULL DEFAULT 0,
                lease_expires_at timestamptz,
                result text
            );
            CREATE INDEX tasks_queued ON {Schema}.tasks (id) WHERE state = 0;
            """, _connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>Queues <paramref name="count"/> tasks, numbered from 0 in their input, in one statement.</summary>
    /// <param name="count">How many.</param>
    /// <returns>A task that completes when they are stored.</returns>
    public async Task QueueAsync(int count)
    {
        await using var command = new NpgsqlCommand(
            $"INSERT INTO {Schema}.tasks (kind, input) SELECT @kind, n::text FROM generate_series(0, @count - 1) AS n", _connection);
        command.Parameters.AddWithValue("kind", WeaverStoreWork.Kind);
        command.Parameters.AddWithValue("count", count);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>Claims up to <paramref name="batch"/> tasks at a time and completes each, until <paramref name="count"/> are done.</summary>
    /// <param name="batch">The most tasks one claim takes.</param>
    /// <param name="count">How many tasks to process; the table holds exactly that many queued.</param>
    /// <returns>The sum of the tasks' numbers.</returns>
    public async Task<long> ClaimAndCompleteAsync(int batch, int count)
    {
        await using var claim = new NpgsqlCommand(
            $"""
            UPDATE {Schema}.tasks AS t SET state = 1, owner = @owner, epoch = t.epoch + 1, lease_expires_at = now() + interval '30 seconds'
            FROM (SELECT id FROM {Schema}.tasks WHERE state = 0 AND kind = ANY(@kinds) ORDER BY id LIMIT @batch FOR UPDATE SKIP LOCKED) AS c
            WHERE t.id = c.id
            RETURNING t.id, t.epoch, t.input
            """, _connection);
        claim.Parameters.AddWithValue("owner", WeaverStoreWork.Owner);
        claim.Parameters.AddWithValue("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text, new[] { WeaverStoreWork.Kind });
        claim.Parameters.AddWithValue("batch", batch);

        await using var complete = new NpgsqlCommand(
            $"""
            UPDATE {Schema}.tasks SET state = 2, result = @result, owner = NULL, lease_expires_at = NULL
            WHERE id = @id AND state = 1 AND owner = @owner AND epoch = @epoch AND lease_expires_at >= now()
            """, _connection);
        var id = complete.Parameters.Add("id", NpgsqlDbType.Bigint);
        var epoch = complete.Parameters.Add("epoch", NpgsqlDbType.Bigint);
        var result = complete.Parameters.Add("result", NpgsqlDbType.Text);
        complete.Parameters.AddWithValue("owner", WeaverStoreWork.Owner);

        var claimed = new List<(long Id, long Epoch, string Input)>(batch);
        var done = 0;
        var sum = 0L;
        while (done < count)
        {
            claimed.Clear();
            await using (var reader = await claim.ExecuteReaderAsync().ConfigureAwait(false))
            {
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    claimed.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)));
                }
            }

            if (claimed.Count == 0)
            {
                break;
            }

            foreach (var task in claimed)
            {
                id.Value = task.Id;
                epoch.Value = task.Epoch;
                result.Value = task.Input;
                if (await complete.ExecuteNonQueryAsync().ConfigureAwait(false) != 1)
                {
                    throw new InvalidOperationException($"Floor task {task.Id}: the completion changed no row though its lease was just taken.");
                }

                sum += long.Parse(task.Input, System.Globalization.CultureInfo.InvariantCulture);
            }

            done += claimed.Count;
        }

        return RunCheck.Verify("The FOR UPDATE SKIP LOCKED floor", count, done, sum);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
