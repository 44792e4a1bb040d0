using System.Globalization;

namespace Weaver.Stores.Worker;

/// <summary>The worker's command line, read and checked; <see cref="Parse"/> says what is wrong and what is allowed.</summary>
internal sealed record WorkerArguments
{
    /// <summary>How to call the worker.</summary>
    public const string Usage =
        """
        Usage: dotnet Weaver.Stores.Worker.dll --store sqlite|postgres --connection <path|connection string>
                 --name <worker name> --concurrency <N> --lease-ms <L> --heartbeat-ms <H> [--work-ms <W>] [--idle-ms <I>]
                 [--watch-stdin]

          --store         sqlite (the connection is a database file path) or postgres (an Npgsql connection string)
          --connection    where the store is; every worker of one test names the same store
          --name          the worker group's name; its lease owners are <name>/0 .. <name>/<N-1>
          --concurrency   how many attempts run at once, 1 to 256
          --lease-ms      the lease duration in milliseconds, 1 to 3600000
          --heartbeat-ms  the heartbeat interval in milliseconds, at least 1 and less than --lease-ms
                          (a lease is stale after lease-ms + 2 x heartbeat-ms without a heartbeat)
          --work-ms       how long each attempt works, 0 to 3600000 milliseconds; default 0
          --idle-ms       the longest wait for work between claims (and SQLite's poll interval), 1 to 60000; default 200
          --watch-stdin   also stop gracefully when standard input ends: the process that started the worker, and
                          held the other end of the pipe, has gone (a test that died leaves no worker behind)

        It prints 'ready' once it runs, one line per attempt event, and stops gracefully on SIGTERM or Ctrl+C.
        """;

    private const string WatchStdin = "--watch-stdin";

    private static readonly string[] Known =
        ["--store", "--connection", "--name", "--concurrency", "--lease-ms", "--heartbeat-ms", "--work-ms", "--idle-ms", WatchStdin];

    /// <summary>Which store: <c>sqlite</c> or <c>postgres</c>.</summary>
    public required string Store { get; init; }

    /// <summary>The SQLite file, or the PostgreSQL connection string.</summary>
    public required string Connection { get; init; }

    /// <summary>The worker group's name.</summary>
    public required string Name { get; init; }

    /// <summary>How many attempts run at once.</summary>
    public required int Concurrency { get; init; }

    /// <summary>The lease timing.</summary>
    public required LeaseOptions Leases { get; init; }

    /// <summary>How long each attempt works.</summary>
    public required TimeSpan WorkTime { get; init; }

    /// <summary>The longest wait for work between claims.</summary>
    public required TimeSpan IdleWait { get; init; }

    /// <summary>Whether the worker stops when its standard input ends.</summary>
    public bool StopWhenStdinEnds { get; init; }

    /// <summary>Reads the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The checked arguments.</returns>
    /// <exception cref="ArgumentException">An argument is unknown, repeated, missing its value, or out of range; the message says which and what is allowed.</exception>
    public static WorkerArguments Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var watchStdin = false;
        var i = 0;
        while (i < args.Count)
        {
            var option = args[i++];
            if (!Known.Contains(option, StringComparer.Ordinal))
            {
                throw new ArgumentException($"Unknown argument '{option}'; the arguments are {string.Join(", ", Known)}.");
            }

            if (option == WatchStdin)
            {
                watchStdin = watchStdin ? throw new ArgumentException($"{WatchStdin} is given twice; give it once.") : true;
                continue; // a flag: no value follows
            }

            if (i >= args.Count || args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"{option} needs a value.");
            }

            var value = args[i++];
            if (!values.TryAdd(option, value))
            {
                throw new ArgumentException($"{option} is given twice ('{values[option]}' and '{value}'); give it once.");
            }
        }

        var store = Required(values, "--store");
        if (store is not ("sqlite" or "postgres"))
        {
            throw new ArgumentException($"--store must be 'sqlite' or 'postgres'; it is '{store}'.");
        }

        var connection = Required(values, "--connection");
        var name = Required(values, "--name");
        var concurrency = Number(values, "--concurrency", 1, 256, null);
        var leaseMs = Number(values, "--lease-ms", 1, 3_600_000, null);
        var heartbeatMs = Number(values, "--heartbeat-ms", 1, 3_600_000, null);
        if (heartbeatMs >= leaseMs)
        {
            throw new ArgumentException($"--heartbeat-ms must be less than --lease-ms ({leaseMs}); it is {heartbeatMs}.");
        }

        return new WorkerArguments
        {
            Store = store,
            Connection = connection,
            Name = name,
            Concurrency = concurrency,
            Leases = new LeaseOptions
            {
                LeaseDuration = TimeSpan.FromMilliseconds(leaseMs),
                HeartbeatInterval = TimeSpan.FromMilliseconds(heartbeatMs),
            }.Validate(),
            WorkTime = TimeSpan.FromMilliseconds(Number(values, "--work-ms", 0, 3_600_000, 0)),
            IdleWait = TimeSpan.FromMilliseconds(Number(values, "--idle-ms", 1, 60_000, 200)),
            StopWhenStdinEnds = watchStdin,
        };
    }

    private static string Required(Dictionary<string, string> values, string name) =>
        values.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new ArgumentException(values.ContainsKey(name) ? $"{name} must not be empty." : $"{name} is required.");

    private static int Number(Dictionary<string, string> values, string name, int min, int max, int? fallback)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback ?? throw new ArgumentException($"{name} is required.");
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}; it is '{text}'.");
    }
}
