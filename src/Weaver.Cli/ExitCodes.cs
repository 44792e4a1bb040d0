namespace Weaver.Cli;

/// <summary>What the <c>weaver</c> process returns (ADR 0023). Scripts branch on these; they never change meaning.</summary>
internal static class ExitCodes
{
    /// <summary>The command ran and printed its answer; an empty list (no jobs, no leases) is an answer too.</summary>
    public const int Ok = 0;

    /// <summary>The thing asked for is not in the store: an unknown job id.</summary>
    public const int NotFound = 1;

    /// <summary>The command line is wrong: an unknown command or option, a missing argument, no store or two stores named.</summary>
    public const int Usage = 2;

    /// <summary>
    /// The store cannot be read: its file is missing or is not a Weaver store, the PostgreSQL server is unreachable or
    /// refuses the connection, a schema is missing, a row cannot be read.
    /// </summary>
    public const int StoreUnavailable = 3;

    /// <summary>An error weaver did not expect (a bug): the message and stack trace are printed to stderr.</summary>
    public const int Unexpected = 4;

    /// <summary>The command was interrupted (Ctrl+C); System.CommandLine's convention, 128 + SIGINT.</summary>
    public const int Interrupted = 130;
}
