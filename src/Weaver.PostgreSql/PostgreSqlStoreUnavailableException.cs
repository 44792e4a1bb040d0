namespace Weaver.PostgreSql;

/// <summary>
/// A call to the PostgreSQL store kept failing with transient errors (the server unreachable, shutting down or
/// restarting) after every retry <see cref="PostgreSqlReconnectOptions"/> allows. Writes are fenced by epochs and
/// revisions, so trying the call again later is safe: a write that did land is found and not applied twice.
/// </summary>
public sealed class PostgreSqlStoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">What the call tried to do.</param>
    /// <param name="tries">How many times it was tried.</param>
    /// <param name="elapsed">How long it kept trying.</param>
    /// <param name="inner">The last error.</param>
    public PostgreSqlStoreUnavailableException(string operation, int tries, TimeSpan elapsed, Exception inner)
        : base(
            $"The PostgreSQL store could not {operation}: {tries} tries over {elapsed.TotalSeconds:0.0} s failed with transient errors "
            + $"(the last: {inner.Message}). Check that the server is up and reachable, or raise Reconnect.MaxRetries / Reconnect.MaxDelay. "
            + "Every write is fenced by its epoch or revision, so calling again is safe.",
            inner)
    {
        Operation = operation;
        Tries = tries;
    }

    /// <summary>What the call tried to do.</summary>
    public string Operation { get; }

    /// <summary>How many times it was tried.</summary>
    public int Tries { get; }
}
