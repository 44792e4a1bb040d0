using System.Globalization;
using AgentFleet.Feature;
using Weaver;

namespace AgentFleet.Fleet;

/// <summary>Which store the fleet shares.</summary>
public enum StoreKind
{
    /// <summary>The in-process engine: nothing survives the process.</summary>
    Memory,

    /// <summary>One SQLite file: durable, shared by the processes of one machine.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database: durable, shared by a fleet of machines.</summary>
    Postgres,
}

/// <summary>The command line, read and checked: <see cref="Parse"/> says what is wrong and what is allowed.</summary>
public sealed record FleetOptions
{
    /// <summary>The environment variable that holds the PostgreSQL connection string when <c>--connection</c> is not given.</summary>
    public const string ConnectionVariable = "WEAVER_AGENTFLEET_POSTGRES";

    /// <summary>How to call it.</summary>
    public static readonly string Usage =
        $"""
        Usage: AgentFleet [options]
               AgentFleet worker --store sqlite|postgres --data <folder> [--connection <string>] --name <agent> [--lease-ms <L>]

          --store memory|sqlite|postgres  where the fleet keeps tasks, jobs, leases and locks (default: sqlite)
          --data <folder>                 where the SQLite file and the artifacts live (default: {DefaultData})
          --connection <string>           the PostgreSQL connection string (or set {ConnectionVariable})
          --agents <N>                    agents working at once, 1 to 16 (default: 4)
          --subtasks <N>                  subtasks the feature is split into, {Catalogue.MinSubtasks} to {Catalogue.MaxSubtasks} (default: 6)
          --processes <N>                 run the N agents as N worker processes on the same store (sqlite or postgres), 1 to 16;
                                          the driver kills one mid-task and starts a replacement (default: agents in this process)
          --crashes <N>                   agents that crash mid-task, 0 to 4 (default: 1)
          --pauses <N>                    agents frozen mid-task until their task is reclaimed, then woken as zombies, 0 to 4 (default: 1)
          --step-ms <N>                   how long one step of an agent's work takes, 10 to 10000 (default: 300)
          --lease-ms <N>                  the lease duration, 200 to 60000; heartbeats every quarter of it, and a lease is stale
                                          after it plus two missed heartbeats (default: 1000)
          --fresh                         start over: a new job even if the store holds an unfinished one (deletes the SQLite file)
          --no-live                       print plain progress lines instead of the live table (automatic when output is redirected)
          --help                          show this

        Run it again after interrupting it and it resumes the unfinished job where it left off.
        It ends by checking what it showed: "All checks passed." and exit code 0 (the job failed on 'billing' and the saga
        compensated, every crash and pause was reclaimed, zombies were refused, no committed task ran again), or the
        failed checks on stderr and exit code 1. Exit code 2: bad arguments; 3: the store could not be opened.
        """;

    private static readonly string[] Flags = ["--fresh", "--no-live", "--help", "--watch-stdin"];

    private static readonly string[] Valued =
        ["--store", "--data", "--connection", "--agents", "--subtasks", "--processes", "--crashes", "--pauses", "--step-ms", "--lease-ms", "--name"];

    /// <summary>The default data folder: under the system's temporary folder, the same on every run so a second run resumes.</summary>
    public static string DefaultData => Path.Combine(Path.GetTempPath(), "weaver-agentfleet");

    /// <summary>Whether this process is a worker process the driver started (<c>worker</c>).</summary>
    public bool IsWorker { get; init; }

    /// <summary>Whether to print the usage and stop.</summary>
    public bool Help { get; init; }

    /// <summary>Which store.</summary>
    public StoreKind Store { get; init; } = StoreKind.Sqlite;

    /// <summary>Where the SQLite file and the artifacts live.</summary>
    public string Data { get; init; } = DefaultData;

    /// <summary>The PostgreSQL connection string, when the store is PostgreSQL.</summary>
    public string? Connection { get; init; }

    /// <summary>How many agents work at once.</summary>
    public int Agents { get; init; } = 4;

    /// <summary>How many subtasks the feature is split into.</summary>
    public int Subtasks { get; init; } = 6;

    /// <summary>How many worker processes run the agents; 0 for agents in this process.</summary>
    public int Processes { get; init; }

    /// <summary>How many agents crash mid-task.</summary>
    public int Crashes { get; init; } = 1;

    /// <summary>How many agents are frozen mid-task and woken once their task was reclaimed.</summary>
    public int Pauses { get; init; } = 1;

    /// <summary>How long one step of work takes.</summary>
    public int StepMilliseconds { get; init; } = 300;

    /// <summary>The lease duration in milliseconds.</summary>
    public int LeaseMilliseconds { get; init; } = 1000;

    /// <summary>Whether to start over.</summary>
    public bool Fresh { get; init; }

    /// <summary>Whether to show the live table (when the console is interactive).</summary>
    public bool Live { get; init; } = true;

    /// <summary>A worker process's agent name.</summary>
    public string? Name { get; init; }

    /// <summary>Whether a worker process stops when its standard input ends (the driver went away).</summary>
    public bool WatchStdin { get; init; }

    /// <summary>The lease timing every store and worker of the fleet uses.</summary>
    public LeaseOptions Leases => new LeaseOptions
    {
        LeaseDuration = TimeSpan.FromMilliseconds(LeaseMilliseconds),
        HeartbeatInterval = TimeSpan.FromMilliseconds(LeaseMilliseconds / 4),
        StaleAfterMissedHeartbeats = 2,
    }.Validate();

    /// <summary>The SQLite file.</summary>
    public string DatabasePath => Path.Combine(Data, "agentfleet.db");

    /// <summary>The folder of the artifacts' content, which every agent shares.</summary>
    public string ArtifactsPath => Path.Combine(Data, "artifacts");

    /// <summary>Reads the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="environment">Reads an environment variable (the PostgreSQL connection string).</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">An argument is unknown, repeated, missing its value or out of range; the message says which and what is allowed.</exception>
    public static FleetOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var worker = args.Count > 0 && args[0] == "worker";
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = worker ? 1 : 0; i < args.Count; i++)
        {
            var option = args[i];
            if (Flags.Contains(option, StringComparer.Ordinal))
            {
                if (!flags.Add(option))
                {
                    throw new ArgumentException($"{option} is given twice; give it once.");
                }

                continue;
            }

            if (!Valued.Contains(option, StringComparer.Ordinal))
            {
                throw new ArgumentException($"Unknown argument '{option}'; the options are {string.Join(", ", Valued.Concat(Flags).Where(o => o is not ("--name" or "--watch-stdin")))}.");
            }

            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"{option} needs a value.");
            }

            if (!values.TryAdd(option, args[++i]))
            {
                throw new ArgumentException($"{option} is given twice ('{values[option]}' and '{args[i]}'); give it once.");
            }
        }

        var store = values.TryGetValue("--store", out var storeName)
            ? storeName switch
            {
                "memory" => StoreKind.Memory,
                "sqlite" => StoreKind.Sqlite,
                "postgres" => StoreKind.Postgres,
                _ => throw new ArgumentException($"--store must be memory, sqlite or postgres; it is '{storeName}'."),
            }
            : StoreKind.Sqlite;
        var connection = values.GetValueOrDefault("--connection") ?? (store == StoreKind.Postgres ? environment(ConnectionVariable) : null);
        if (store == StoreKind.Postgres && string.IsNullOrWhiteSpace(connection))
        {
            throw new ArgumentException(
                $"--store postgres needs a connection string: pass --connection \"Host=localhost;Username=weaver;Password=...;Database=weaver\" or set {ConnectionVariable}. "
                + "Without a server, use --store sqlite (the default) or --store memory.");
        }

        if (store != StoreKind.Postgres && values.ContainsKey("--connection"))
        {
            throw new ArgumentException($"--connection is for --store postgres; the store is {store.ToString().ToLowerInvariant()}.");
        }

        var processes = Number(values, "--processes", 1, 16, 0);
        if (processes > 0 && store == StoreKind.Memory)
        {
            throw new ArgumentException("--processes needs a store that processes share: --store sqlite (the default) or --store postgres; memory lives in one process.");
        }

        if (processes > 0 && values.TryGetValue("--agents", out var agentsText) && agentsText != processes.ToString(CultureInfo.InvariantCulture))
        {
            throw new ArgumentException($"--processes {processes} runs one agent per process, {processes} in all; leave out --agents or give the same number (it is {agentsText}).");
        }

        var options = new FleetOptions
        {
            IsWorker = worker,
            Help = flags.Contains("--help"),
            Store = store,
            Data = Path.GetFullPath(values.GetValueOrDefault("--data") ?? DefaultData),
            Connection = connection,
            Agents = processes > 0 ? processes : Number(values, "--agents", 1, 16, 4),
            Subtasks = Number(values, "--subtasks", Catalogue.MinSubtasks, Catalogue.MaxSubtasks, 6),
            Processes = processes,
            Crashes = Number(values, "--crashes", 0, 4, 1),
            Pauses = Number(values, "--pauses", 0, 4, 1),
            StepMilliseconds = Number(values, "--step-ms", 10, 10_000, 300),
            LeaseMilliseconds = Number(values, "--lease-ms", 200, 60_000, 1000),
            Fresh = flags.Contains("--fresh"),
            Live = !flags.Contains("--no-live"),
            Name = values.GetValueOrDefault("--name"),
            WatchStdin = flags.Contains("--watch-stdin"),
        };
        if (worker && (store == StoreKind.Memory || string.IsNullOrWhiteSpace(options.Name)))
        {
            throw new ArgumentException("A worker process needs --store sqlite or postgres and --name <agent>; the driver starts workers with both.");
        }

        if (!worker && options.Crashes + options.Pauses > 0 && options.Agents < 2)
        {
            throw new ArgumentException(
                $"--crashes and --pauses need at least 2 agents, one to fail and one to reclaim its task; there is {options.Agents}. Give --agents 2 or more, or --crashes 0 --pauses 0.");
        }

        return options;
    }

    private static int Number(Dictionary<string, string> values, string name, int min, int max, int fallback)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}; it is '{text}'.");
    }
}
