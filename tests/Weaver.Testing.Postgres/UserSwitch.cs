using System.Runtime.InteropServices;

namespace Weaver.Testing.Postgres;

/// <summary>
/// PostgreSQL refuses to run as root (<c>initdb</c> and <c>postgres</c> both stop with "cannot be run as root").
/// When the tests run as root, every <c>initdb</c> and <c>pg_ctl</c> runs as an unprivileged account instead, through
/// <c>runuser -u USER --</c> or, where <c>runuser</c> is missing, <c>su -s /bin/sh -c '…' USER</c>.
/// </summary>
internal sealed record UserSwitch(string User, string Tool)
{
    /// <summary>Names an account to use instead of the defaults (<c>postgres</c>, then <c>nobody</c>).</summary>
    public const string UserVariable = "WEAVER_TEST_POSTGRES_USER";

    private static readonly string[] DefaultUsers = ["postgres", "nobody"];
    private static readonly string[] ToolDirectories = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    public bool IsRunUser => Path.GetFileName(Tool) == "runuser";

    /// <summary>The command to start instead of <paramref name="file"/> so that it runs as <see cref="User"/>.</summary>
    public (string File, List<string> Arguments) Wrap(string file, IReadOnlyList<string> arguments)
    {
        if (IsRunUser)
        {
            return (Tool, ["-u", User, "--", file, .. arguments]);
        }

        var command = "exec " + string.Join(' ', new[] { file }.Concat(arguments).Select(ProcessRunner.ShellQuote));
        return (Tool, ["-s", "/bin/sh", "-c", command, User]);
    }

    /// <summary>
    /// <see langword="null"/> when the process is not root (commands run as the current user), otherwise the account
    /// and tool to switch with. Throws, naming what is missing, when root has no unprivileged account or no tool.
    /// </summary>
    public static UserSwitch? ForCurrentProcess()
    {
        if (!Unix.IsRoot())
        {
            return null;
        }

        var requested = Environment.GetEnvironmentVariable(UserVariable);
        var candidates = string.IsNullOrWhiteSpace(requested) ? DefaultUsers : [requested.Trim()];
        var accounts = ReadAccounts();
        var user = candidates.FirstOrDefault(c => accounts.TryGetValue(c, out var uid) && uid != 0)
            ?? throw new PostgresClusterException(
                $"The tests run as root, and PostgreSQL refuses to run as root, but none of the accounts "
                + $"{string.Join(", ", candidates)} exists as a non-root user in /etc/passwd. Create one, or name "
                + $"an existing unprivileged account in {UserVariable}.");

        var tool = FindTool("runuser") ?? FindTool("su")
            ?? throw new PostgresClusterException(
                $"The tests run as root and PostgreSQL must run as '{user}', but neither runuser nor su was found in "
                + $"{string.Join(", ", ToolDirectories)} or on PATH.");
        return new UserSwitch(user, tool);
    }

    private static Dictionary<string, int> ReadAccounts()
    {
        var accounts = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!File.Exists("/etc/passwd"))
        {
            return accounts;
        }

        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var fields = line.Split(':');
            if (fields.Length > 2 && int.TryParse(fields[2], out var uid))
            {
                accounts.TryAdd(fields[0], uid);
            }
        }

        return accounts;
    }

    private static string? FindTool(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator) ?? [];
        return ToolDirectories.Concat(path)
            .Where(d => d.Length > 0)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);
    }
}

/// <summary>The few POSIX calls the fixture needs.</summary>
internal static class Unix
{
    private const int SigQuit = 3;

    public static bool IsRoot()
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            return geteuid() == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Environment.UserName == "root";
        }
    }

    /// <summary>
    /// Asks a postmaster for an immediate shutdown (SIGQUIT): it ends its children and removes its shared memory,
    /// unlike SIGKILL. Returns whether the signal was delivered.
    /// </summary>
    public static bool SendQuit(int pid)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            return kill(pid, SigQuit) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint geteuid();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
