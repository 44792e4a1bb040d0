using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Weaver.Benchmarks.Stores;

/// <summary>
/// The floor of the SQLite benchmarks: a task queue in plain SQL on one open connection to a file of its own, with the
/// store's durability settings (WAL, <c>synchronous = FULL</c>). SQLite has no row locks and so no
/// <c>SKIP LOCKED</c>: its writers take turns on the whole file, and a claim is one <c>UPDATE ... RETURNING</c> over
/// the first <c>batch</c> queued tasks (its own transaction) that gives each an owner, a new epoch and a lease (now + 30 s,
/// UTC ticks); a completion is one <c>UPDATE</c> conditional on the owner, the epoch and a live lease. Fenced like
/// Weaver's claims and commits, with none of the rest: no history, attempt count, retry, resources or jobs.
/// </summary>
/// <param name="path">The database file; created.</param>
/// <param name="time">The clock that sets and judges leases.</param>
public sealed class SqliteQueue(string path, TimeProvider time) : IAsyncDisposable
{
    private static readonly long LeaseTicks = TimeSpan.FromSeconds(30).Ticks;
    private readonly SqliteConnection _connection = new(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);

    /// <summary>Opens the file and creates the table.</summary>
    public void Create()
    {
        _connection.Open();
        Execute("PRAGMA journal_mode = WAL");
        Execute("PRAGMA synchronous = FULL");
        Execute(
            """
            CREATE TABLE tasks (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                input TEXT,
                state INTEGER NOT NULL DEFAULT 0,
                owner TEXT,
                epoch INTEGER NOT NULL DEFAULT 0,
                lease_expires_at INTEGER,
                result TEXT
            );
            CREATE INDEX tasks_queued ON tasks (id) WHERE state = 0;
            """);
    }

    /// <summary>Queues <paramref name="count"/> tasks, numbered from 0 in their input, in one statement.</summary>
    /// <param name="count">How many.</param>
    public void Queue(int count)
    {
        using var command = _connection.CreateCommand();
        command.CommandText =
            """
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $count)
            INSERT INTO tasks (kind, input) SELECT $kind, CAST(i AS TEXT) FROM n
            """;
        command.Parameters.AddWithValue("$count", count);
        command.Parameters.AddWithValue("$kind", WeaverStoreWork.Kind);
        command.ExecuteNonQuery();
    }

    /// <summary>Claims up to <paramref name="batch"/> tasks at a time and completes each, until <paramref name="count"/> are done.</summary>
    /// <param name="batch">The most tasks one claim takes.</param>
    /// <param name="count">How many tasks to process; the table holds exactly that many queued.</param>
    /// <returns>The sum of the tasks' numbers.</returns>
    public long ClaimAndComplete(int batch, int count)
    {
        using var claim = _connection.CreateCommand();
        claim.CommandText =
            """
            UPDATE tasks SET state = 1, owner = $owner, epoch = epoch + 1, lease_expires_at = $expires
            WHERE id IN (SELECT id FROM tasks WHERE state = 0 AND kind = $kind ORDER BY id LIMIT $batch)
            RETURNING id, epoch, input
            """;
        claim.Parameters.AddWithValue("$owner", WeaverStoreWork.Owner);
        claim.Parameters.AddWithValue("$kind", WeaverStoreWork.Kind);
        claim.Parameters.AddWithValue("$batch", batch);
        var expires = claim.Parameters.Add("$expires", SqliteType.Integer);

        using var complete = _connection.CreateCommand();
        complete.CommandText =
            """
            UPDATE tasks SET state = 2, result = $result, owner = NULL, lease_expires_at = NULL
            WHERE id = $id AND state = 1 AND owner = $owner AND epoch = $epoch AND lease_expires_at >= $now
            """;
        var id = complete.Parameters.Add("$id", SqliteType.Integer);
        var epoch = complete.Parameters.Add("$epoch", SqliteType.Integer);
        var result = complete.Parameters.Add("$result", SqliteType.Text);
        var now = complete.Parameters.Add("$now", SqliteType.Integer);
        complete.Parameters.AddWithValue("$owner", WeaverStoreWork.Owner);

        var claimed = new List<(long Id, long Epoch, string Input)>(batch);
        var done = 0;
        var sum = 0L;
        while (done < count)
        {
            claimed.Clear();
            expires.Value = time.GetUtcNow().UtcTicks + LeaseTicks;
            using (var reader = claim.ExecuteReader())
            {
                while (reader.Read())
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
                now.Value = time.GetUtcNow().UtcTicks;
                if (complete.ExecuteNonQuery() != 1)
                {
                    throw new InvalidOperationException($"Floor task {task.Id}: the completion changed no row though its lease was just taken.");
                }

                sum += long.Parse(task.Input, CultureInfo.InvariantCulture);
            }

            done += claimed.Count;
        }

        return RunCheck.Verify("The plain SQLite floor", count, done, sum);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
