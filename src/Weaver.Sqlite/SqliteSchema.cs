using System.Globalization;

namespace Weaver.Sqlite;

/// <summary>
/// The store's schema, built by versioned migrations. <c>schema_version</c> lists each applied migration once. Each
/// migration runs in its own <c>BEGIN IMMEDIATE</c> transaction that first reads the version: processes that start
/// at once queue on the write lock, the first applies the migration, and the others find it applied and do nothing.
/// </summary>
/// <remarks>
/// <para>Timestamps are stored as INTEGER UTC ticks (100 ns since 0001-01-01, <see cref="DateTimeOffset.UtcTicks"/>),
/// not as text: a tick count round-trips a <see cref="DateTimeOffset"/> exactly, lease checks such as
/// <c>lease_expires_at &gt;= $now</c> are plain integer comparisons that cannot be fooled by two spellings of one
/// instant (<c>Z</c> and <c>+00:00</c> sort differently as text), and the indexes stay small. Every timestamp column
/// holds ticks and every comparison is against ticks taken from the store's clock.</para>
/// <para>Costs are decimal text (invariant culture): SQLite has no decimal type and a REAL would round them.</para>
/// <para>Names that a person or a newer version may put in a row (states, event kinds, outcomes) are stored as text
/// without a CHECK constraint, so a row this version cannot read is reported with its id instead of failing a write.</para>
/// </remarks>
internal static class SqliteSchema
{
    /// <summary>The migrations, in order; a migration, once released, is never changed, only followed by another.</summary>
    internal static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(1, "tasks with their resources and events, resource locks, jobs and artifacts", """
            CREATE TABLE tasks (
                seq                 INTEGER PRIMARY KEY AUTOINCREMENT, -- the creation sequence: claims take the earliest first
                id                  TEXT    NOT NULL UNIQUE,
                kind                TEXT    NOT NULL,
                state               TEXT    NOT NULL,                  -- a TaskLifecycle.State name
                input               TEXT,                              -- JSON, kept exactly as given
                attempts            INTEGER NOT NULL,
                epoch               INTEGER NOT NULL,                  -- of the latest claim; +1 with each claim
                owner               TEXT,                              -- the running attempt's worker
                lease_expires_at    INTEGER,                           -- ticks; live while now <= lease_expires_at
                due_at              INTEGER,                           -- ticks; when a scheduled retry may start
                lock_epoch          INTEGER,                           -- the running attempt's resource lease, if any
                result              TEXT,
                error               TEXT,
                cost                TEXT    NOT NULL,
                retry_max_attempts  INTEGER NOT NULL,
                retry_initial_delay INTEGER NOT NULL,                  -- ticks
                retry_multiplier    REAL    NOT NULL,
                retry_max_delay     INTEGER NOT NULL,                  -- ticks
                retry_jitter        REAL    NOT NULL,
                job_id              TEXT,
                job_task_id         TEXT,
                created_at          INTEGER NOT NULL
            );
            CREATE INDEX tasks_runnable ON tasks (state, kind, seq);
            CREATE INDEX tasks_leases ON tasks (state, lease_expires_at);

            CREATE TABLE task_resources (
                task_id  TEXT    NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                resource TEXT    NOT NULL,                             -- normalized (ResourceKey)
                PRIMARY KEY (task_id, position)
            ) WITHOUT ROWID;

            CREATE TABLE task_events (
                seq               INTEGER PRIMARY KEY AUTOINCREMENT,   -- history order
                task_id           TEXT    NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
                at                INTEGER NOT NULL,
                kind              TEXT    NOT NULL,                    -- a TaskEventKind name
                attempt           INTEGER NOT NULL,
                owner             TEXT,
                epoch             INTEGER NOT NULL,
                detail            TEXT    NOT NULL,
                decision_policy   TEXT,
                decision_evidence TEXT,
                decision_change   TEXT,
                outcome           TEXT                                 -- an AttemptOutcome name
            );
            CREATE INDEX task_events_by_task ON task_events (task_id, seq);

            -- One row per resource key ever locked, by a task's attempt or on its own (holder = task id). A free key keeps
            -- its row and its latest epoch, so a key's epoch never goes down.
            CREATE TABLE resource_locks (
                resource   TEXT    PRIMARY KEY,
                epoch      INTEGER NOT NULL,
                task_id    TEXT,                                       -- the holder; NULL when free
                owner      TEXT,
                expires_at INTEGER,                                    -- ticks; live while now <= expires_at
                CHECK ((task_id IS NULL) = (owner IS NULL) AND (task_id IS NULL) = (expires_at IS NULL))
            ) WITHOUT ROWID;
            CREATE INDEX resource_locks_by_holder ON resource_locks (task_id, epoch);

            CREATE TABLE jobs (
                id         TEXT    PRIMARY KEY,
                state      TEXT    NOT NULL,
                document   TEXT    NOT NULL,                           -- JSON, kept exactly as given
                revision   INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            ) WITHOUT ROWID;

            CREATE TABLE artifacts (
                seq              INTEGER PRIMARY KEY AUTOINCREMENT,    -- append order
                job_id           TEXT    NOT NULL,
                task_id          TEXT    NOT NULL,                     -- the task's id within its job
                attempt          INTEGER NOT NULL,
                name             TEXT    NOT NULL,
                kind             TEXT    NOT NULL,                     -- an ArtifactKind name
                content_hash     TEXT,
                length           INTEGER NOT NULL,
                url              TEXT,
                created_at       INTEGER NOT NULL,
                written_by_task  TEXT    NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
                written_by_epoch INTEGER NOT NULL
            );
            CREATE INDEX artifacts_by_job_task ON artifacts (job_id, task_id, seq);
            """),
        new(2, "the W3C trace context each task was submitted in", """
            ALTER TABLE tasks ADD COLUMN trace_parent TEXT; -- W3C traceparent; NULL when submitted outside a span
            ALTER TABLE tasks ADD COLUMN trace_state  TEXT; -- W3C tracestate that came with it
            """),
    ];

    /// <summary>The schema version this assembly builds and reads.</summary>
    internal static int CurrentVersion => Migrations[^1].Version;

    /// <summary>
    /// Puts the file in WAL mode and applies every migration it lacks; safe to run from several processes at once, and
    /// a no-op on an up-to-date file.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file cannot use WAL, or a newer version of the store made it.</exception>
    internal static async Task MigrateAsync(SqliteDatabase database, CancellationToken cancellationToken)
    {
        // WAL lets readers and one writer work at once, across processes; the mode is kept in the file. It cannot be
        // changed inside a transaction.
        var mode = await database.RunWithoutTransactionAsync(
            "switching the journal to WAL",
            session => session.QuerySingle("PRAGMA journal_mode = WAL", reader => reader.GetString(0)),
            cancellationToken).ConfigureAwait(false);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"The SQLite database '{database.DataSource}' cannot use write-ahead logging (its journal mode stays '{mode}'); the store needs WAL "
                + "so that several processes can share the file. Use a database file on a local file system.");
        }

        foreach (var migration in Migrations)
        {
            await database.WriteAsync(
                $"applying schema migration {migration.Version}",
                session => Apply(session, database.DataSource, migration),
                cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool Apply(SqliteSession session, string dataSource, Migration migration)
    {
        session.Execute("""
            CREATE TABLE IF NOT EXISTS schema_version (
                version     INTEGER PRIMARY KEY,
                description TEXT    NOT NULL,
                applied_at  INTEGER NOT NULL
            )
            """);
        var applied = session.QuerySingle("SELECT COALESCE(MAX(version), 0) FROM schema_version", reader => reader.GetInt32(0));
        if (applied > CurrentVersion)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"The SQLite database '{dataSource}' has schema version {applied}, newer than this Weaver.Sqlite knows ({CurrentVersion}); open it with the newer version that wrote it."));
        }

        if (applied >= migration.Version)
        {
            return false;
        }

        if (applied != migration.Version - 1)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"The SQLite database '{dataSource}' is at schema version {applied}, but migration {migration.Version} follows version {migration.Version - 1}; its schema_version table was changed by hand."));
        }

        session.Execute(migration.Sql);
        session.Execute(
            "INSERT INTO schema_version (version, description, applied_at) VALUES ($version, $description, $at)",
            ("$version", migration.Version),
            ("$description", migration.Description),
            ("$at", session.NowTicks));
        return true;
    }

    /// <summary>One step of the schema.</summary>
    /// <param name="Version">The version it brings the file to: one more than the one before.</param>
    /// <param name="Description">What it adds, for <c>schema_version</c>.</param>
    /// <param name="Sql">Its statements.</param>
    internal sealed record Migration(int Version, string Description, string Sql);
}
