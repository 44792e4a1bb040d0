using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Weaver.Stores.Tests.MultiProcess;

/// <summary>POSIX signals for the worker processes, through libc's <c>kill</c>.</summary>
internal static class Signals
{
    /// <summary>Ends a process at once, with no chance to clean up (kill -9).</summary>
    public const int Kill = 9;

    /// <summary>Asks a process to stop gracefully.</summary>
    public const int Terminate = 15;

    /// <summary>Freezes a process where it is (kill -STOP): a paused zombie.</summary>
    public const int Stop = 19;

    /// <summary>Lets a stopped process run again (kill -CONT).</summary>
    public const int Continue = 18;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>.</summary>
    /// <param name="pid">The process.</param>
    /// <param name="signal">The signal: <see cref="Kill"/>, <see cref="Terminate"/>, <see cref="Stop"/> or <see cref="Continue"/>.</param>
    /// <exception cref="Win32Exception">The signal could not be sent (the process is gone, say); the message says why.</exception>
    public static void Send(int pid, int signal)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The multi-process store tests pause and kill workers with Linux signal numbers; they run on Linux.");
        }

        if (kill(pid, signal) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new Win32Exception(errno, $"kill({pid}, {signal}) failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
