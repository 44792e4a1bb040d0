namespace Weaver.Testing.Postgres;

/// <summary>What a PostgreSQL test needs beyond a server to connect to.</summary>
public enum PostgresRequirement
{
    /// <summary>Any server: the throwaway cluster or the one <c>WEAVER_TEST_POSTGRES</c> names.</summary>
    Server,

    /// <summary>
    /// The shared server must be the throwaway cluster, because the test stops and starts it or checks how it was
    /// set up: skipped when <c>WEAVER_TEST_POSTGRES</c> names an external server.
    /// </summary>
    ThrowawayCluster,

    /// <summary>The test creates a cluster of its own, so it needs the PostgreSQL binaries whatever the shared server is.</summary>
    OwnCluster,
}

/// <summary>
/// Reads, once per test run, how PostgreSQL tests get their server: <c>WEAVER_TEST_POSTGRES</c>, the binaries found
/// by <see cref="PostgresBinaries.Locate"/>, and <c>CI</c>. It decides when a test is skipped.
/// </summary>
public static class PostgresTestEnvironment
{
    /// <summary>An Npgsql connection string to an existing server; when set, no throwaway cluster is created.</summary>
    public const string ConnectionStringVariable = "WEAVER_TEST_POSTGRES";

    private static readonly Lazy<PostgresBinariesLookup> LazyBinaries = new(PostgresBinaries.Locate);

    public static string? ExternalConnectionString =>
        Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value)
            ? value
            : null;

    /// <summary>
    /// <c>CI=true</c> (or <c>1</c>): missing binaries then fail the PostgreSQL tests rather than skip them, so that a
    /// pipeline can never pass without having run them.
    /// </summary>
    public static bool IsCI => Environment.GetEnvironmentVariable("CI")?.Trim().ToLowerInvariant() is "true" or "1";

    public static PostgresBinariesLookup Binaries => LazyBinaries.Value;

    /// <summary>Why a test with this requirement is skipped here, or <see langword="null"/> when it runs.</summary>
    public static string? SkipReason(PostgresRequirement requirement)
    {
        var external = ExternalConnectionString is not null;
        var haveBinaries = Binaries.Binaries is not null;
        switch (requirement)
        {
            case PostgresRequirement.ThrowawayCluster when external:
                return $"This test needs the throwaway cluster (it stops and starts it, or checks how it was set up), "
                    + $"and {ConnectionStringVariable} names an external server. Unset it to run this test.";
            case PostgresRequirement.Server or PostgresRequirement.ThrowawayCluster when external || haveBinaries:
                return null;
            case PostgresRequirement.OwnCluster when haveBinaries:
                return null;
            case PostgresRequirement.OwnCluster when external:
                // The suite itself runs against the external server; only tests that build their own cluster skip.
                return $"This test creates its own cluster and no PostgreSQL binaries were found (searched: "
                    + $"{Binaries.DescribeSearch()}).";
            default:
                // Under CI the test runs, and the fixture fails it with MissingBinariesMessage.
                return IsCI ? null : MissingBinariesMessage(Binaries, ci: false);
        }
    }

    /// <summary>Why no server is available: names every place searched and what to do about it.</summary>
    public static string MissingBinariesMessage(PostgresBinariesLookup lookup, bool ci) =>
        $"No PostgreSQL server binaries were found and {ConnectionStringVariable} is not set, so there is no PostgreSQL "
        + $"server to run against. Searched: {lookup.DescribeSearch()}. Install the PostgreSQL server "
        + $"(e.g. apt-get install postgresql), set {PostgresBinaries.BinVariable} to the folder holding initdb and pg_ctl, "
        + $"or set {ConnectionStringVariable} to an Npgsql connection string. "
        + (ci
            ? "CI=true, so this is a failure rather than a skip."
            : "The PostgreSQL tests and benchmarks are skipped; with CI=true this is a failure.");
}
