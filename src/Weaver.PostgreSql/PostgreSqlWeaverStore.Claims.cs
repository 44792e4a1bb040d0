namespace Weaver.PostgreSql;

public sealed partial class PostgreSqlWeaverStore
{
    /// <inheritdoc />
    /// <remarks>
    /// <para>One transaction. Candidates (queued, or a retry whose due time passed, of the given kinds, oldest first) are
    /// selected and locked with <c>FOR UPDATE SKIP LOCKED LIMIT</c>, so concurrent claimers skip each other's candidates
    /// instead of waiting. Candidates without resources are started by one conditional <c>UPDATE ... RETURNING</c>.</para>
    /// <para>Candidates whose resources are held by a live lease are left out of the selection. The page's lock rows are
    /// locked with <c>SKIP LOCKED</c> too (a row another transaction has locked is about to change: its candidates wait
    /// for the next claim), and each remaining candidate with resources is started under a savepoint of its own: when
    /// one of its resources turns out to be held (by a lease taken since the selection, or by a candidate before it in
    /// this claim) it is rolled back to the savepoint and left exactly as it was. The claim goes on with the next
    /// candidates while fewer than <paramref name="max"/> were claimed. A claim never waits for a lock.</para>
    /// </remarks>
    public async ValueTask<IReadOnlyList<StoredAttempt>> ClaimAsync(string owner, int max, IReadOnlyCollection<string> kinds, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(owner))
        {
            throw new ArgumentException($"The owner must name the claiming worker; it is empty or white space ('{owner}').", nameof(owner));
        }

        if (max < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, $"max must be 1 or more (how many tasks to claim at most); it is {max}.");
        }

        if (kinds is null || kinds.Count == 0 || kinds.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException(
                "kinds must name at least one task kind (the handlers this worker runs), none of them empty or white space.", nameof(kinds));
        }

        RequireStorable(owner, nameof(owner));
        foreach (var kind in kinds)
        {
            RequireStorable(kind, "A kind");
        }

        var kindList = kinds.Distinct(StringComparer.Ordinal).ToArray();
        var writeId = Guid.NewGuid();
        return await RunAsync($"claim tasks for '{owner}'", (s, ct) => ClaimInAsync(s, owner, max, kindList, writeId, ct), async (s, ct) =>
        {
            // The lost try committed: hand out the attempts it started that still run under their epoch.
            await using var command = s.Command(
                $"""
                SELECT t.id, t.kind, t.input, t.attempts, t.epoch, t.lease_expires_at, t.resources, t.job_id, t.job_task_id, t.trace_parent, t.trace_state
                FROM {_s}.task_events e JOIN {_s}.tasks t ON t.id = e.task_id
                WHERE e.write_id = @write AND e.kind = 'AttemptStarted' AND t.state = 'Running' AND t.epoch = e.epoch
                ORDER BY t.seq
                """).Uuid("write", writeId);
            await using var countCommand = s.Command($"SELECT count(*) FROM {_s}.task_events WHERE write_id = @write").Uuid("write", writeId);
            if ((long)(await countCommand.ExecuteScalarAsync(ct).ConfigureAwait(false))! == 0)
            {
                return Recovered<IReadOnlyList<StoredAttempt>>.No;
            }

            var attempts = new List<StoredAttempt>();
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                attempts.Add(new StoredAttempt(reader.GetString(0), reader.GetString(1), reader.NullableText(2), reader.GetInt32(3), owner,
                    reader.GetInt64(4), reader.Time(5))
                {
                    Resources = reader.GetFieldValue<string[]>(6),
                    Job = ReadJobRef(reader, 7),
                    TraceParent = reader.NullableText(9),
                    TraceState = reader.NullableText(10),
                });
            }

            return Recovered<IReadOnlyList<StoredAttempt>>.Yes(attempts);
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<StoredAttempt>> ClaimInAsync(Session s, string owner, int max, string[] kinds, Guid writeId, CancellationToken ct)
    {
        var claimed = new List<(long Seq, StoredAttempt Attempt)>();
        var events = new List<(string, TaskEvent)>();
        var after = 0L;
        while (claimed.Count < max)
        {
            var page = await SelectCandidatesAsync(s, kinds, after, max - claimed.Count, ct).ConfigureAwait(false);
            if (page.Count == 0)
            {
                break;
            }

            // The selection returned the transaction's time: reading it again costs no round trip.
            var now = await s.NowAsync(ct).ConfigureAwait(false);
            var expires = await s.ExpiryAsync(ct).ConfigureAwait(false);

            after = page[^1].Seq;
            var plain = page.Where(candidate => candidate.Resources.Length == 0).ToList();
            if (plain.Count > 0)
            {
                await using var start = s.Command(
                    $"""
                    UPDATE {_s}.tasks SET state = 'Running', attempts = attempts + 1, epoch = epoch + 1, owner = @owner,
                        lease_expires_at = @expires, due_at = NULL, lock_lease_id = NULL, lock_epoch = NULL
                    WHERE id = ANY(@ids) AND (state = 'Queued' OR (state = 'RetryScheduled' AND due_at <= @now))
                    RETURNING id, attempts, epoch
                    """)
                    .Text("owner", owner).Time("expires", expires).Texts("ids", plain.Select(c => c.Id).ToArray()).Time("now", now);
                var started = new Dictionary<string, (int Attempts, long Epoch)>(StringComparer.Ordinal);
                await using (var reader = await start.ExecuteReaderAsync(ct).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        started[reader.GetString(0)] = (reader.GetInt32(1), reader.GetInt64(2));
                    }
                }

                foreach (var candidate in plain)
                {
                    if (started.TryGetValue(candidate.Id, out var run))
                    {
                        claimed.Add((candidate.Seq, candidate.Attempt(owner, run.Attempts, run.Epoch, expires)));
                        var attemptStarted = TaskEvents.AttemptStarted(now, run.Attempts, owner, run.Epoch);
                        events.Add((candidate.Id, attemptStarted));
                        s.Telemetry.CountOnCommit(candidate.Kind, attemptStarted);
                    }
                }
            }

            var guarded = page.Where(candidate => candidate.Resources.Length > 0).ToList();
            var lockable = new HashSet<string>(StringComparer.Ordinal);
            if (guarded.Count > 0)
            {
                // The page's lock rows, without waiting: a row another transaction has locked is being changed, so the
                // candidates that need it are skipped this time. Claims therefore never wait for one another.
                await using var lockRows = s.Command(
                    $"SELECT resource FROM {_s}.resource_locks WHERE resource = ANY(@keys) ORDER BY array_position(@keys, resource) FOR UPDATE SKIP LOCKED")
                    .Texts("keys", SortKeys(guarded.SelectMany(c => c.Resources)));
                await using var reader = await lockRows.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    lockable.Add(reader.GetString(0));
                }
            }

            foreach (var candidate in guarded)
            {
                if (!candidate.Resources.All(lockable.Contains))
                {
                    continue;
                }

                const string Savepoint = "claim_candidate";
                await s.Transaction.SaveAsync(Savepoint, ct).ConfigureAwait(false);
                var (lease, leaseId, _) = await AcquireAsync(s, candidate.Id, owner, SortKeys(candidate.Resources), writeId, createRows: false, ct).ConfigureAwait(false);
                if (lease is null)
                {
                    await s.Transaction.RollbackAsync(Savepoint, ct).ConfigureAwait(false);
                    s.Telemetry.CountLockConflictOnCommit();
                    continue;
                }

                await using var start = s.Command(
                    $"""
                    UPDATE {_s}.tasks SET state = 'Running', attempts = attempts + 1, epoch = epoch + 1, owner = @owner,
                        lease_expires_at = @expires, due_at = NULL, lock_lease_id = @lock_lease, lock_epoch = @lock_epoch
                    WHERE id = @id AND (state = 'Queued' OR (state = 'RetryScheduled' AND due_at <= @now))
                    RETURNING attempts, epoch
                    """)
                    .Text("owner", owner).Time("expires", expires).Text("id", candidate.Id).Time("now", now)
                    .Long("lock_lease", leaseId).Long("lock_epoch", lease.Epoch);
                (int Attempts, long Epoch)? run = null;
                await using (var reader = await start.ExecuteReaderAsync(ct).ConfigureAwait(false))
                {
                    if (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        run = (reader.GetInt32(0), reader.GetInt64(1));
                    }
                }

                if (run is not { } started)
                {
                    await s.Transaction.RollbackAsync(Savepoint, ct).ConfigureAwait(false);
                    continue;
                }

                await s.Transaction.ReleaseAsync(Savepoint, ct).ConfigureAwait(false);
                claimed.Add((candidate.Seq, candidate.Attempt(owner, started.Attempts, started.Epoch, expires)));
                events.Add((candidate.Id, new TaskEvent(now, TaskEventKind.ResourcesAcquired, started.Attempts, owner, lease.Epoch,
                    $"Acquired {Describe(lease.Resources.Select(key => key.Value))}.")));
                var attemptStarted = TaskEvents.AttemptStarted(now, started.Attempts, owner, started.Epoch);
                events.Add((candidate.Id, attemptStarted));
                s.Telemetry.CountOnCommit(candidate.Kind, attemptStarted);
            }
        }

        await InsertEventsAsync(s, events, writeId, ct).ConfigureAwait(false);
        return [.. claimed.OrderBy(c => c.Seq).Select(c => c.Attempt)];
    }

    /// <summary>
    /// A page of candidates, locked; each row also carries the transaction's time, which the session keeps, so a claim
    /// needs no round trip of its own to read the time.
    /// </summary>
    private async Task<List<Candidate>> SelectCandidatesAsync(Session s, string[] kinds, long after, int limit, CancellationToken ct)
    {
        await using var command = s.WithNow(s.Command(
            $"""
            SELECT id, seq, kind, input, resources, job_id, job_task_id, trace_parent, trace_state, {s.NowSql}
            FROM {_s}.tasks
            WHERE (state = 'Queued' OR (state = 'RetryScheduled' AND due_at <= {s.NowSql})) AND kind = ANY(@kinds) AND seq > @after
                AND NOT EXISTS (
                    SELECT 1 FROM {_s}.resource_locks l
                    WHERE l.resource = ANY(tasks.resources) AND l.lease_id IS NOT NULL AND l.expires_at >= {s.NowSql})
            ORDER BY seq
            LIMIT @limit
            FOR UPDATE SKIP LOCKED
            """)).Texts("kinds", kinds).Long("after", after).Int("limit", limit);
        var page = new List<Candidate>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            s.Observed(reader.Time(9));
            page.Add(new Candidate(
                reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.NullableText(3), reader.GetFieldValue<string[]>(4), ReadJobRef(reader, 5),
                reader.NullableText(7), reader.NullableText(8)));
        }

        return page;
    }

    /// <summary>A runnable task the claim locked.</summary>
    private sealed record Candidate(
        string Id, long Seq, string Kind, string? Input, string[] Resources, JobTaskRef? Job, string? TraceParent, string? TraceState)
    {
        public StoredAttempt Attempt(string owner, int number, long epoch, DateTimeOffset expires) =>
            new(Id, Kind, Input, number, owner, epoch, expires) { Resources = Resources, Job = Job, TraceParent = TraceParent, TraceState = TraceState };
    }
}
