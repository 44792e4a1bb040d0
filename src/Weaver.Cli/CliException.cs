namespace Weaver.Cli;

/// <summary>
/// A failure the user can act on: the message says what was wrong and what to do, and <see cref="ExitCode"/> is what the
/// process returns. Printed to stderr without a stack trace.
/// </summary>
internal sealed class CliException : Exception
{
    private CliException(int exitCode, string message, Exception? inner)
        : base(message, inner)
    {
        ExitCode = exitCode;
    }

    /// <summary>One of <see cref="ExitCodes"/>.</summary>
    public int ExitCode { get; }

    /// <summary>The command line is wrong (<see cref="ExitCodes.Usage"/>).</summary>
    /// <param name="message">What was wrong and what is allowed.</param>
    /// <returns>The exception.</returns>
    public static CliException Usage(string message) => new(ExitCodes.Usage, message, null);

    /// <summary>The thing asked for is not in the store (<see cref="ExitCodes.NotFound"/>).</summary>
    /// <param name="message">What was not found and how to find what is there.</param>
    /// <returns>The exception.</returns>
    public static CliException NotFound(string message) => new(ExitCodes.NotFound, message, null);

    /// <summary>The store cannot be read (<see cref="ExitCodes.StoreUnavailable"/>).</summary>
    /// <param name="message">What was wrong and what to check.</param>
    /// <param name="inner">The error behind it, if any.</param>
    /// <returns>The exception.</returns>
    public static CliException Store(string message, Exception? inner = null) => new(ExitCodes.StoreUnavailable, message, inner);
}
