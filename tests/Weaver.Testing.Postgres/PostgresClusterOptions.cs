namespace Weaver.Testing.Postgres;

/// <summary>Where a <see cref="PostgresServer"/> gets its server; <see cref="FromEnvironment"/> reads the usual variables.</summary>
public sealed record PostgresClusterOptions
{
    /// <summary>Use this server instead of creating a cluster (<c>WEAVER_TEST_POSTGRES</c>).</summary>
    public string? ExternalConnectionString { get; init; }

    /// <summary>Where the binaries are; <see langword="null"/> for <see cref="PostgresTestEnvironment.Binaries"/>.</summary>
    public PostgresBinariesLookup? Binaries { get; init; }

    /// <summary>Fail, rather than stay unavailable, when there are no binaries (<c>CI=true</c>).</summary>
    public bool IsCI { get; init; }

    /// <summary>
    /// The folder that holds clusters, each in a <c>weaver-pg-*</c> folder; the system temp folder by default. When the
    /// server must run as another user and that user cannot reach this folder, <c>/tmp</c> is used instead.
    /// </summary>
    public string BaseDirectory { get; init; } = Path.GetTempPath();

    /// <summary>The <c>Application Name</c> of every connection string handed out, which names the caller in <c>pg_stat_activity</c>.</summary>
    public string ApplicationName { get; init; } = "Weaver.Stores.Tests";

    public static PostgresClusterOptions FromEnvironment() => new()
    {
        ExternalConnectionString = PostgresTestEnvironment.ExternalConnectionString,
        IsCI = PostgresTestEnvironment.IsCI,
    };

    /// <summary>A throwaway cluster of its own even when <c>WEAVER_TEST_POSTGRES</c> is set.</summary>
    public static PostgresClusterOptions Throwaway() => FromEnvironment() with { ExternalConnectionString = null };
}
