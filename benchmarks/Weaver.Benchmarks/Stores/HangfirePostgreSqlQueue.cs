using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Server;

namespace Weaver.Benchmarks.Stores;

/// <summary>
/// The peer of the PostgreSQL benchmarks: Hangfire on Hangfire.PostgreSql, with its default options. Jobs are processed
/// by Hangfire's own worker step, <see cref="Worker.Execute"/>, called once per job without a server around it: it
/// fetches the next job from the queue (a <c>FOR UPDATE SKIP LOCKED</c> claim in Hangfire.PostgreSql), moves it to
/// Processing, runs it, moves it to Succeeded and removes it from the queue, each state change under Hangfire's
/// per-job lock and through the global filters, as in a server.
/// </summary>
/// <remarks>
/// Running the job is included because Hangfire offers no public way to move a job to Processing other than its worker;
/// the job is <see cref="CountedJob.Run"/>, which only adds its argument to a sum. Hangfire fetches one job at a time;
/// it has no batch claim, so its rows do the same work at every batch size.
/// </remarks>
public sealed class HangfirePostgreSqlQueue : IDisposable
{
    /// <summary>How long a fetch may wait for a job before the benchmark fails rather than hangs.</summary>
    private static readonly TimeSpan FetchDeadline = TimeSpan.FromMinutes(1);

    private readonly PostgreSqlStorage _storage;
    private readonly BackgroundJobClient _client;
    private readonly Worker _worker = new();

    /// <summary>Installs Hangfire's schema in the database (Hangfire.PostgreSql does it when the storage is created).</summary>
    /// <param name="connectionString">A database of its own.</param>
    public HangfirePostgreSqlQueue(string connectionString)
    {
        var options = new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = true };
        _storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
        _client = new BackgroundJobClient(_storage);
    }

    /// <summary>Enqueues <paramref name="count"/> jobs whose argument is their number, from 0.</summary>
    /// <param name="count">How many.</param>
    public void Queue(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var input = i;
            _client.Enqueue(() => CountedJob.Run(input));
        }
    }

    /// <summary>Runs Hangfire's worker step <paramref name="count"/> times; throws unless every job ran exactly once.</summary>
    /// <param name="count">How many jobs to process; the queue holds exactly that many.</param>
    /// <returns>The sum of the jobs' arguments.</returns>
    public long FetchAndComplete(int count)
    {
        using var deadline = new CancellationTokenSource(FetchDeadline, TimeProvider.System);
        var context = new BackgroundProcessContext(
            "weaver-bench", _storage, new Dictionary<string, object>(StringComparer.Ordinal), Guid.NewGuid(), deadline.Token, deadline.Token, deadline.Token);
        CountedJob.Reset();
        for (var i = 0; i < count; i++)
        {
            _worker.Execute(context);
        }

        return RunCheck.Verify("Hangfire.PostgreSql", count, CountedJob.Runs, CountedJob.Sum);
    }

    /// <inheritdoc/>
    public void Dispose() => (_storage as IDisposable)?.Dispose();

    /// <summary>The job Hangfire runs: it counts itself and adds its argument to a sum.</summary>
    public static class CountedJob
    {
        private static int _runs;
        private static long _sum;

        /// <summary>How many jobs ran since <see cref="Reset"/>.</summary>
        public static int Runs => Volatile.Read(ref _runs);

        /// <summary>The sum of their arguments.</summary>
        public static long Sum => Interlocked.Read(ref _sum);

        /// <summary>Starts counting from zero.</summary>
        public static void Reset()
        {
            Volatile.Write(ref _runs, 0);
            Interlocked.Exchange(ref _sum, 0);
        }

        /// <summary>Counts one run.</summary>
        /// <param name="input">The job's argument.</param>
        public static void Run(int input)
        {
            Interlocked.Increment(ref _runs);
            Interlocked.Add(ref _sum, input);
        }
    }
}
