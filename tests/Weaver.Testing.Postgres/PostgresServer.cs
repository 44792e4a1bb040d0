using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace Weaver.Testing.Postgres;

/// <summary>
/// A PostgreSQL server for the store tests (through their xunit fixture, <c>PostgresCluster</c>) and the store
/// benchmarks, which start it the same way.
/// <list type="bullet">
/// <item>When <c>WEAVER_TEST_POSTGRES</c> holds an Npgsql connection string, that server is used as is: it
/// creates a database named <c>weaver_test_{utc time}_{random}</c> on it, points <see cref="ConnectionString"/> at it,
/// gives each <see cref="CreateDatabaseAsync"/> name the same suffix, and drops all of them (<c>WITH (FORCE)</c>) on
/// dispose. The server itself cannot be stopped or started.</item>
/// <item>Otherwise it creates a throwaway cluster with the machine's binaries (<see cref="PostgresBinaries.Locate"/>):
/// <c>initdb</c> into a new <c>weaver-pg-{pid}-{random}</c> folder under the temp folder, then <c>pg_ctl start</c>
/// listening on 127.0.0.1 only, on a free port, with <c>fsync</c> off. As root, both run as an unprivileged account
/// (<see cref="UserSwitch"/>). Dispose stops it (<c>pg_ctl stop -m immediate</c>) and deletes the folder, whatever
/// the caller did; a cluster left behind by a process that died is removed by the next one to start.</item>
/// <item>Without binaries it is unavailable (<see cref="PostgresTestEnvironment.SkipReason"/> says why, and the
/// PostgreSQL tests and benchmarks are skipped), and under <c>CI=true</c> <see cref="InitializeAsync"/> throws instead.</item>
/// </list>
/// Every command's stdout and stderr, and the server log's tail, are in the message of any exception it throws.
/// </summary>
public partial class PostgresServer
{
    /// <summary>The prefix of every cluster folder, so that leftovers can be found and removed.</summary>
    public const string DirectoryPrefix = "weaver-pg-";

    /// <summary>The superuser <c>initdb</c> creates; the cluster trusts every local connection.</summary>
    public const string SuperUser = "weaver";

    private const string OwnerFileName = "owner";
    private const int StartAttempts = 5;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    private readonly PostgresClusterOptions options;
    private readonly Action<string>? report;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly List<string> databases = [];
    private readonly HashSet<string> handedOut = [];
    private PostgresBinaries? binaries;
    private UserSwitch? runAs;
    private string? adminConnectionString;
    private string? connectionString;
    private string? unavailableReason;
    private string? externalSuffix;
    private bool running;
    private bool disposed;

    /// <summary>A server as <paramref name="options"/> say; call <see cref="InitializeAsync"/> before use.</summary>
    /// <param name="options">Where the server comes from.</param>
    /// <param name="report">Where to say which server is used, or why there is none; nowhere when null.</param>
    protected PostgresServer(PostgresClusterOptions options, Action<string>? report)
    {
        this.options = options;
        this.report = report;
    }

    /// <summary>
    /// A server of one's own. Call <see cref="InitializeAsync"/> and, in a <c>finally</c>, <see cref="DisposeAsync"/>.
    /// </summary>
    public static PostgresServer Create(PostgresClusterOptions options, Action<string>? report = null) => new(options, report);

    /// <summary>Whether the server is the external one named by <c>WEAVER_TEST_POSTGRES</c>.</summary>
    public bool IsExternal => options.ExternalConnectionString is not null;

    /// <summary>Whether <see cref="StopAsync"/> and <see cref="StartAsync"/> may be used (a throwaway cluster).</summary>
    public bool CanRestart => !IsExternal;

    /// <summary>Whether a server is there to connect to; <see langword="false"/> when binaries were missing outside CI.</summary>
    public bool IsAvailable => connectionString is not null;

    /// <summary>
    /// Connects as a superuser: to the <c>postgres</c> database of the throwaway cluster, or to this run's database
    /// on an external server. Prefer a database of your own from <see cref="CreateDatabaseAsync"/>.
    /// </summary>
    public string ConnectionString => connectionString ?? throw new InvalidOperationException(
        unavailableReason ?? "The PostgreSQL cluster is not initialized: InitializeAsync has not run.");

    /// <summary>The loopback port the throwaway cluster listens on; kept across <see cref="StopAsync"/> and <see cref="StartAsync"/>.</summary>
    public int Port { get; private set; }

    /// <summary>The cluster's folder (data, socket, log); <see langword="null"/> for an external server.</summary>
    public string? ClusterDirectory { get; private set; }

    public string? DataDirectory => ClusterDirectory is null ? null : Path.Combine(ClusterDirectory, "data");

    public string? LogFile => ClusterDirectory is null ? null : Path.Combine(ClusterDirectory, "server.log");

    /// <summary>The account <c>initdb</c> and <c>pg_ctl</c> run as when the tests run as root; otherwise <see langword="null"/>.</summary>
    public string? RunsAs => runAs?.User;

    /// <summary>One line on what this server is, for test output.</summary>
    public string Description { get; private set; } = "not initialized";

    public async Task InitializeAsync()
    {
        if (options.ExternalConnectionString is { } external)
        {
            await InitializeExternalAsync(external).ConfigureAwait(false);
            return;
        }

        var lookup = options.Binaries ?? PostgresTestEnvironment.Binaries;
        if (lookup.Binaries is null)
        {
            var message = PostgresTestEnvironment.MissingBinariesMessage(lookup, options.IsCI);
            if (options.IsCI)
            {
                throw new PostgresClusterException(message);
            }

            // The PostgreSQL tests and benchmarks are skipped; anything else that asks for a connection gets this reason.
            unavailableReason = message;
            Description = "unavailable: " + message;
            Report(message);
            return;
        }

        var stopwatch = Stopwatch.StartNew();
        binaries = lookup.Binaries;
        runAs = UserSwitch.ForCurrentProcess();
        var baseDirectory = ChooseBaseDirectory(options.BaseDirectory, runAs);
        RemoveStaleClusters(baseDirectory);
        try
        {
            ClusterDirectory = await CreateClusterDirectoryAsync(baseDirectory).ConfigureAwait(false);
            var initDb = await RunAsync(binaries.InitDb,
            [
                "-D", DataDirectory!, "-U", SuperUser, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync",
            ]).ConfigureAwait(false);
            if (!initDb.Succeeded)
            {
                throw new PostgresClusterException("initdb failed. " + initDb.Describe() + Context());
            }

            await File.AppendAllTextAsync(Path.Combine(DataDirectory!, "postgresql.conf"), Configuration(ClusterDirectory))
                .ConfigureAwait(false);
            await StartOnFreePortAsync().ConfigureAwait(false);
            adminConnectionString = Connection("postgres");
            connectionString = adminConnectionString;
            var version = await ScalarAsync(adminConnectionString, "SHOW server_version").ConfigureAwait(false);
            Description = $"throwaway PostgreSQL {version} cluster in {ClusterDirectory} on 127.0.0.1:{Port}"
                + (runAs is null ? "" : $", run as '{runAs.User}' through {runAs.Tool}") + $", binaries {binaries}";
            AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
            Report($"PostgreSQL: a {Description} (up in {stopwatch.Elapsed.TotalSeconds:0.0} s).");
        }
        catch
        {
            try
            {
                await TearDownClusterAsync().ConfigureAwait(false);
            }
            catch (PostgresClusterException)
            {
                // The failure that brought us here is the one to report.
            }

            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
            if (IsExternal)
            {
                await DropExternalDatabasesAsync().ConfigureAwait(false);
            }
            else
            {
                await TearDownClusterAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Creates an empty database and returns a connection string for it. On the throwaway cluster it is named
    /// <paramref name="name"/>; on an external server the run's suffix is appended so that runs never collide.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid test database name: use 1 to 40 lowercase letters, digits and underscores, starting with a letter or underscore.",
                nameof(name));
        }

        var admin = adminConnectionString ?? ConnectionString;
        var database = externalSuffix is null ? name : $"{name}_{externalSuffix}";
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            await ExecuteAsync(admin, $"CREATE DATABASE \"{database}\"").ConfigureAwait(false);
            databases.Add(database);
        }
        finally
        {
            gate.Release();
        }

        return Connection(database);
    }

    /// <summary>
    /// Stops the throwaway cluster (<c>pg_ctl stop -m fast</c>): open connections are closed by the server and new
    /// ones are refused until <see cref="StartAsync"/>. Does nothing when it is already stopped.
    /// </summary>
    public async Task StopAsync()
    {
        EnsureRestartable();
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            if (!running)
            {
                return;
            }

            ClearPools();
            var stop = await PgCtlAsync(["stop", "-D", DataDirectory!, "-m", "fast", "-w", "-t", "60"]).ConfigureAwait(false);
            if (!stop.Succeeded)
            {
                throw new PostgresClusterException("pg_ctl stop failed. " + stop.Describe() + Context());
            }

            running = false;
            ClearPools();
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Starts the stopped throwaway cluster again, on the same port and data folder. Does nothing when it runs.</summary>
    public async Task StartAsync()
    {
        EnsureRestartable();
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            if (running)
            {
                return;
            }

            var start = await PgCtlStartAsync().ConfigureAwait(false);
            if (!start.Succeeded)
            {
                throw new PostgresClusterException($"pg_ctl start on port {Port} failed. " + start.Describe() + Context());
            }

            running = true;
            ClearPools();
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The last lines of the server log, or a note saying why there are none.</summary>
    public string ReadLogTail(int lines = 40)
    {
        if (LogFile is null || !File.Exists(LogFile))
        {
            return "(no server log)";
        }

        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines + 1)).TrimEnd();
        }
        catch (IOException e)
        {
            return $"(server log unreadable: {e.Message})";
        }
    }

    /// <summary>
    /// Removes the <c>weaver-pg-*</c> clusters under <paramref name="baseDirectory"/> whose test process no longer
    /// exists (it crashed or was killed before disposing its fixture): their postmaster, if it still runs, gets an
    /// immediate-shutdown signal, and the folder is deleted. Clusters of live processes are left alone. Returns the
    /// folders it removed.
    /// </summary>
    public static IReadOnlyList<string> RemoveStaleClusters(string baseDirectory)
    {
        var removed = new List<string>();
        if (!Directory.Exists(baseDirectory))
        {
            return removed;
        }

        foreach (var directory in Directory.EnumerateDirectories(baseDirectory, DirectoryPrefix + "*"))
        {
            try
            {
                if (IsStale(directory) && StopLeftoverPostmaster(directory))
                {
                    Directory.Delete(directory, recursive: true);
                    removed.Add(directory);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Someone else's, or still in use: leave it.
            }
        }

        return removed;
    }

    /// <summary>The owner file's content: the test process's id and start time, which together survive pid reuse.</summary>
    internal static string OwnerLine(int processId, DateTime startTimeUtc) =>
        string.Create(CultureInfo.InvariantCulture, $"{processId} {startTimeUtc.Ticks}");

    private async Task InitializeExternalAsync(string external)
    {
        externalSuffix = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyyMMddHHmmss}_{Guid.NewGuid():N}")[..21];
        adminConnectionString = external;
        var runDatabase = $"weaver_test_{externalSuffix}";
        try
        {
            await ExecuteAsync(external, $"CREATE DATABASE \"{runDatabase}\"").ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw new PostgresClusterException(
                $"Could not create database {runDatabase} on the server named by {PostgresTestEnvironment.ConnectionStringVariable}: {e.Message}", e);
        }

        databases.Add(runDatabase);
        connectionString = Connection(runDatabase);
        var version = await ScalarAsync(connectionString, "SHOW server_version").ConfigureAwait(false);
        var builder = new NpgsqlConnectionStringBuilder(external);
        Description = $"external PostgreSQL {version} at {builder.Host}:{builder.Port} "
            + $"({PostgresTestEnvironment.ConnectionStringVariable}), database {runDatabase}";
        Report($"PostgreSQL: an {Description}; tests that need the throwaway cluster are skipped.");
    }

    private async Task DropExternalDatabasesAsync()
    {
        ClearPools();
        var failures = new List<string>();
        foreach (var database in Enumerable.Reverse(databases))
        {
            try
            {
                await ExecuteAsync(adminConnectionString!, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)").ConfigureAwait(false);
            }
            catch (NpgsqlException e)
            {
                failures.Add($"{database}: {e.Message}");
            }
        }

        if (failures.Count > 0)
        {
            throw new PostgresClusterException("Could not drop the test databases: " + string.Join("; ", failures));
        }
    }

    private async Task StartOnFreePortAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            Port = FreeLoopbackPort();
            var logLength = LogFile is not null && File.Exists(LogFile) ? new FileInfo(LogFile).Length : 0;
            var start = await PgCtlStartAsync().ConfigureAwait(false);
            if (start.Succeeded)
            {
                running = true;
                return;
            }

            // Another process may have taken the port between choosing it and the server binding it.
            if (attempt < StartAttempts && LogSince(logLength) is var log
                && (log.Contains("could not bind", StringComparison.OrdinalIgnoreCase)
                    || log.Contains("Address already in use", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            throw new PostgresClusterException(
                $"pg_ctl start on port {Port} failed (attempt {attempt} of {StartAttempts}). " + start.Describe() + Context());
        }
    }

    private Task<ProcessResult> PgCtlStartAsync() => PgCtlAsync(
    [
        "start", "-D", DataDirectory!, "-l", LogFile!, "-w", "-t", "60",
        "-o", string.Create(CultureInfo.InvariantCulture, $"-p {Port}"),
    ]);

    private Task<ProcessResult> PgCtlAsync(IReadOnlyList<string> arguments) => RunAsync(binaries!.PgCtl, arguments);

    private Task<ProcessResult> RunAsync(string program, IReadOnlyList<string> arguments) =>
        ProcessRunner.RunAsync(program, arguments, CommandTimeout, runAs, ClusterDirectory);

    private async Task<string> CreateClusterDirectoryAsync(string baseDirectory)
    {
        var directory = Path.Combine(baseDirectory,
            string.Create(CultureInfo.InvariantCulture, $"{DirectoryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}")[..(DirectoryPrefix.Length + 20)]);
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            Directory.CreateDirectory(Path.Combine(directory, "socket"));
        }
        else
        {
            Directory.CreateDirectory(directory, OwnerOnly);
            Directory.CreateDirectory(Path.Combine(directory, "socket"), OwnerOnly);
        }

        using (var self = Process.GetCurrentProcess())
        {
            // Written whole, then renamed into place: a sweep running meanwhile (another process's, or another cluster's
            // of this one) must never read it half-written, take the folder for a stale one and delete it.
            var ownerFile = Path.Combine(directory, OwnerFileName);
            await File.WriteAllTextAsync(ownerFile + ".new", OwnerLine(Environment.ProcessId, self.StartTime.ToUniversalTime()) + "\n")
                .ConfigureAwait(false);
            File.Move(ownerFile + ".new", ownerFile);
        }

        if (runAs is not null)
        {
            // The folder is created 0700 by root; hand it, and everything in it, to the account the server runs as.
            await ProcessRunner.RunCheckedAsync("chown", ["-R", runAs.User + ":", directory], TimeSpan.FromSeconds(30))
                .ConfigureAwait(false);
        }

        return directory;
    }

    private static string Configuration(string clusterDirectory)
    {
        // A Unix socket path is limited to 107 bytes; with a long temp path, TCP alone will do.
        var socketDirectory = Path.Combine(clusterDirectory, "socket");
        var sockets = OperatingSystem.IsWindows() || socketDirectory.Length + "/.s.PGSQL.65535".Length > 100 ? "" : socketDirectory;
        return $"""


            # Written by Weaver's PostgresServer (tests and benchmarks): loopback only, and durability traded for speed.
            listen_addresses = '127.0.0.1'
            unix_socket_directories = '{sockets.Replace("'", "''", StringComparison.Ordinal)}'
            max_connections = 100
            shared_buffers = 32MB
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            timezone = 'UTC'
            log_timezone = 'UTC'

            """;
    }

    private async Task TearDownClusterAsync()
    {
        ClearPools();
        var problems = new List<string>();
        if (DataDirectory is not null && binaries is not null && File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                var stop = await PgCtlAsync(["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "60"]).ConfigureAwait(false);
                if (!stop.Succeeded)
                {
                    problems.Add(stop.Describe());
                }
            }
            catch (PostgresClusterException e)
            {
                problems.Add(e.Message);
            }
        }

        running = false;
        if (ClusterDirectory is not null && Directory.Exists(ClusterDirectory))
        {
            var directory = ClusterDirectory;
            if (!StopLeftoverPostmaster(directory))
            {
                problems.Add("The postmaster did not exit after SIGQUIT.");
            }

            for (var attempt = 1; Directory.Exists(directory); attempt++)
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    if (attempt == 5)
                    {
                        problems.Add($"Could not delete {directory}: {e.Message}");
                        break;
                    }

                    await Task.Delay(200 * attempt).ConfigureAwait(false);
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new PostgresClusterException("Tearing down the test cluster went wrong: " + string.Join("\n", problems));
        }
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        // The test host is exiting without having disposed the fixture: do not leave a server running.
        try
        {
            DisposeAsync().GetAwaiter().GetResult();
        }
        catch (PostgresClusterException)
        {
            // Nothing can be reported any more; the next run removes what is left.
        }
    }

    private string Connection(string database)
    {
        var builder = IsExternal
            ? new NpgsqlConnectionStringBuilder(adminConnectionString)
            : new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = Port,
                Username = SuperUser,
                Timeout = 15,
                CommandTimeout = 60,
            };
        builder.Database = database;
        builder.ApplicationName = options.ApplicationName;
        builder.IncludeErrorDetail = true;
        var result = builder.ConnectionString;
        lock (handedOut)
        {
            handedOut.Add(result);
        }

        return result;
    }

    private void ClearPools()
    {
        string[] strings;
        lock (handedOut)
        {
            strings = [.. handedOut];
        }

        foreach (var s in strings)
        {
            using var connection = new NpgsqlConnection(s);
            NpgsqlConnection.ClearPool(connection);
        }
    }

    private void Report(string message) => report?.Invoke(message);

    private string Context() =>
        (runAs is null ? "" : $"\nRan as '{runAs.User}' through {runAs.Tool}.")
        + (binaries is null ? "" : $"\nBinaries: {binaries}.")
        + ProcessResult.Section($"server log tail ({LogFile})", ReadLogTail());

    private string LogSince(long offset)
    {
        if (LogFile is null || !File.Exists(LogFile))
        {
            return "";
        }

        using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private void EnsureRestartable()
    {
        if (IsExternal)
        {
            throw new NotSupportedException(
                $"{PostgresTestEnvironment.ConnectionStringVariable} names an external server, which the tests must not stop or start. "
                + $"Mark the test [PostgresFact(Requires = PostgresRequirement.{nameof(PostgresRequirement.ThrowawayCluster)})].");
        }

        _ = ConnectionString;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);

    private static async Task ExecuteAsync(string connection, string sql)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, db);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static async Task<string> ScalarAsync(string connection, string sql)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, db);
        return Convert.ToString(await command.ExecuteScalarAsync().ConfigureAwait(false), CultureInfo.InvariantCulture) ?? "";
    }

    /// <summary>A port nothing listens on now: bind 127.0.0.1:0, read the port the system chose, and let it go.</summary>
    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static string ChooseBaseDirectory(string requested, UserSwitch? runAs)
    {
        var full = Path.GetFullPath(requested);
        Directory.CreateDirectory(full);
        if (runAs is null || OperatingSystem.IsWindows() || TraversableByOthers(full))
        {
            return full;
        }

        // The server's account could not reach a cluster under this folder (e.g. TMPDIR under /root).
        return TraversableByOthers("/tmp")
            ? "/tmp"
            : throw new PostgresClusterException(
                $"Neither {full} nor /tmp can be entered by '{runAs.User}', the account the server runs as.");
    }

    private static bool TraversableByOthers(string directory)
    {
        for (var d = new DirectoryInfo(directory); d is not null; d = d.Parent)
        {
            if ((d.UnixFileMode & UnixFileMode.OtherExecute) == 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsStale(string directory)
    {
        var ownerFile = Path.Combine(directory, OwnerFileName);
        if (!File.Exists(ownerFile))
        {
            // Being created right now, or left by a process that died before writing it.
            return DateTime.UtcNow - Directory.GetCreationTimeUtc(directory) > TimeSpan.FromMinutes(10);
        }

        var parts = File.ReadAllText(ownerFile).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var ticks))
        {
            return true;
        }

        try
        {
            using var owner = Process.GetProcessById(pid);
            var started = owner.StartTime.ToUniversalTime();
            // Same pid and the same start time: the owner still runs. A different start time: the pid was reused.
            return owner.HasExited || Math.Abs((started - new DateTime(ticks, DateTimeKind.Utc)).TotalSeconds) > 2;
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Ends the postmaster of <paramref name="clusterDirectory"/> if one still runs. Returns whether none runs now.
    /// </summary>
    private static bool StopLeftoverPostmaster(string clusterDirectory)
    {
        var pidFile = Path.Combine(clusterDirectory, "data", "postmaster.pid");
        if (!File.Exists(pidFile)
            || !int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), CultureInfo.InvariantCulture, out var pid)
            || !IsPostgres(pid))
        {
            return true;
        }

        Unix.SendQuit(pid);
        for (var waited = 0; waited < 100; waited++)
        {
            if (!IsPostgres(pid))
            {
                return true;
            }

            Thread.Sleep(100);
        }

        return false;
    }

    private static bool IsPostgres(int pid)
    {
        try
        {
            // A zombie (ended, not yet reaped by its parent) counts as gone: it holds no port, memory or files.
            var stat = $"/proc/{pid}/stat";
            if (OperatingSystem.IsLinux() && File.Exists(stat) && File.ReadAllText(stat) is var line
                && line.LastIndexOf(')') is var end and > 0 && end + 2 < line.Length && line[end + 2] is 'Z' or 'X')
            {
                return false;
            }

            using var process = Process.GetProcessById(pid);
            return !process.HasExited && process.ProcessName is "postgres" or "postmaster";
        }
        catch (IOException)
        {
            return false;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,39}$")]
    private static partial Regex DatabaseName();
}
