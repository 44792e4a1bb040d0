using System.Text;
using Npgsql;

namespace Weaver.PostgreSql;

/// <summary>
/// The store's schema, as numbered migrations. <see cref="ApplyAsync"/> applies the missing ones at start, in one
/// transaction under a transaction-level advisory lock keyed by the schema, so processes that start together apply each
/// migration once, and records each in <c>schema_migrations</c>. A database migrated by a newer version is refused.
/// </summary>
internal static class Migrations
{
    /// <summary>The migrations, in order; a migration once released is never edited, only followed by a new one.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> All { get; } =
    [
        (1, "tasks, events, resource locks, jobs and artifacts", """
            CREATE TABLE {s}.tasks (
                id text PRIMARY KEY,
                seq bigint GENERATED ALWAYS AS IDENTITY,
                kind text NOT NULL,
                state text NOT NULL,
                input text,
                attempts integer NOT NULL DEFAULT 0,
                retry_max_attempts integer NOT NULL,
                retry_initial_delay_ticks bigint NOT NULL,
                retry_multiplier double precision NOT NULL,
                retry_max_delay_ticks bigint NOT NULL,
                retry_jitter double precision NOT NULL,
                epoch bigint NOT NULL DEFAULT 0,
                owner text,
                lease_expires_at timestamptz,
                due_at timestamptz,
                result text,
                error text,
                cost numeric NOT NULL DEFAULT 0,
                created_at timestamptz NOT NULL,
                resources text[] NOT NULL DEFAULT '{}',
                job_id text,
                job_task_id text,
                lock_lease_id bigint,
                lock_epoch bigint
            );
            CREATE UNIQUE INDEX tasks_seq ON {s}.tasks (seq);
            CREATE INDEX tasks_runnable ON {s}.tasks (seq) WHERE state IN ('Queued', 'RetryScheduled');
            CREATE INDEX tasks_running ON {s}.tasks (lease_expires_at) WHERE state = 'Running';
            CREATE INDEX tasks_retry_due ON {s}.tasks (due_at) WHERE state = 'RetryScheduled';

            CREATE TABLE {s}.task_events (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                task_id text NOT NULL,
                at timestamptz NOT NULL,
                kind text NOT NULL,
                attempt integer NOT NULL,
                owner text,
                epoch bigint NOT NULL,
                detail text NOT NULL,
                decision_policy text,
                decision_evidence text,
                decision_change text,
                outcome text,
                write_id uuid
            );
            CREATE INDEX task_events_task ON {s}.task_events (task_id, seq);
            CREATE INDEX task_events_write ON {s}.task_events (write_id) WHERE write_id IS NOT NULL;

            CREATE SEQUENCE {s}.lock_lease_ids;
            CREATE TABLE {s}.resource_locks (
                resource text PRIMARY KEY,
                latest_epoch bigint NOT NULL DEFAULT 0,
                lease_id bigint,
                holder_task_id text,
                holder_owner text,
                holder_epoch bigint,
                expires_at timestamptz,
                write_id uuid
            );
            CREATE INDEX resource_locks_lease ON {s}.resource_locks (lease_id) WHERE lease_id IS NOT NULL;
            CREATE INDEX resource_locks_write ON {s}.resource_locks (write_id) WHERE write_id IS NOT NULL;

            CREATE TABLE {s}.jobs (
                id text PRIMARY KEY,
                state text NOT NULL,
                document text NOT NULL,
                revision bigint NOT NULL,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL,
                write_id uuid
            );

            CREATE TABLE {s}.artifacts (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                job_id text NOT NULL,
                task_id text NOT NULL,
                attempt integer NOT NULL,
                name text NOT NULL,
                kind text NOT NULL,
                content_hash text,
                length bigint NOT NULL,
                url text,
                created_at timestamptz NOT NULL,
                writer_task_id text NOT NULL,
                writer_epoch bigint NOT NULL,
                write_id uuid
            );
            CREATE INDEX artifacts_job_task ON {s}.artifacts (job_id, task_id, seq);
            CREATE INDEX artifacts_write ON {s}.artifacts (write_id) WHERE write_id IS NOT NULL;
            """),
        (2, "the W3C trace context each task was submitted in", """
            ALTER TABLE {s}.tasks ADD COLUMN trace_parent text, ADD COLUMN trace_state text;
            """),
    ];

    /// <summary>The newest version this build knows.</summary>
    public static int Latest => All[^1].Version;

    /// <summary>Applies the missing migrations; returns the versions it applied (empty when the schema was up to date).</summary>
    public static async Task<IReadOnlyList<int>> ApplyAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        var s = Quote(schema);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", AdvisoryKey(schema));
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var create = new NpgsqlCommand(
            $"""
            CREATE SCHEMA IF NOT EXISTS {s};
            CREATE TABLE IF NOT EXISTS {s}.schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            );
            """, connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var applied = new HashSet<int>();
        await using (var read = new NpgsqlCommand($"SELECT version FROM {s}.schema_migrations", connection, transaction))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        if (applied.Count > 0 && applied.Max() > Latest)
        {
            throw new InvalidOperationException(
                $"Schema '{schema}' was migrated to version {applied.Max()} by a newer Weaver.PostgreSql; this one knows versions up to {Latest}. "
                + "Upgrade Weaver.PostgreSql, or point this store at another schema.");
        }

        var done = new List<int>();
        foreach (var (version, name, sql) in All)
        {
            if (applied.Contains(version))
            {
                continue;
            }

            await using (var migrate = new NpgsqlCommand(sql.Replace("{s}", s, StringComparison.Ordinal), connection, transaction))
            {
                await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var record = new NpgsqlCommand($"INSERT INTO {s}.schema_migrations (version, name) VALUES (@version, @name)", connection, transaction))
            {
                record.Parameters.AddWithValue("version", version);
                record.Parameters.AddWithValue("name", name);
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            done.Add(version);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return done;
    }

    /// <summary>The schema as a quoted identifier; the options allow only <c>[a-z0-9_]</c>, so quoting is enough.</summary>
    public static string Quote(string schema) => $"\"{schema}\"";

    /// <summary>A stable 64-bit key for the schema's advisory lock (FNV-1a of "weaver:" + the schema name).</summary>
    public static long AdvisoryKey(string schema)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes("weaver:" + schema))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return unchecked((long)hash);
    }
}
