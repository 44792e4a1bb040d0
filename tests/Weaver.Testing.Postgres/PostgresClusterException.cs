namespace Weaver.Testing.Postgres;

/// <summary>
/// The test PostgreSQL server could not be found, created, started or stopped. The message carries what was tried:
/// the places searched for binaries, or the command line with its exit code, stdout, stderr and the server log's tail.
/// </summary>
public sealed class PostgresClusterException : Exception
{
    public PostgresClusterException(string message)
        : base(message)
    {
    }

    public PostgresClusterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
