using System.Globalization;
using Weaver.Testing.Postgres;

namespace Weaver.Benchmarks.Stores;

/// <summary>
/// The PostgreSQL server of the store benchmarks, started the way the store tests start theirs
/// (<see cref="PostgresServer"/>: the server <c>WEAVER_TEST_POSTGRES</c> names, or a throwaway cluster made with the
/// machine's binaries): one per process, on first use, removed when the process ends. Each benchmark case gets a
/// database of its own.
/// </summary>
public static class BenchmarkPostgres
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgresServer? _server;
    private static int _databases;

    /// <summary>
    /// Why the PostgreSQL benchmarks cannot run on this machine, or <see langword="null"/> when they can. Always
    /// <see langword="null"/> under <c>CI=true</c>: there a missing server fails them instead, as it fails the store tests.
    /// </summary>
    public static string? SkipReason => PostgresTestEnvironment.SkipReason(PostgresRequirement.Server);

    /// <summary>A fresh, empty database (its name starts with <paramref name="prefix"/>); its connection string.</summary>
    /// <param name="prefix">Lowercase letters, digits and underscores, at most 20 characters.</param>
    /// <returns>The connection string.</returns>
    public static async Task<string> NewDatabaseAsync(string prefix)
    {
        var server = await ServerAsync().ConfigureAwait(false);
        var name = string.Create(CultureInfo.InvariantCulture, $"{prefix}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..8]}");
        return await server.CreateDatabaseAsync(name).ConfigureAwait(false);
    }

    /// <summary>Stops and removes the server, if this process started one (the process's exit would, too).</summary>
    /// <returns>A task that completes when it is gone.</returns>
    public static async Task StopAsync()
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_server is not null)
            {
                await _server.DisposeAsync().ConfigureAwait(false);
                _server = null;
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<PostgresServer> ServerAsync()
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_server is null)
            {
                var server = PostgresServer.Create(
                    PostgresClusterOptions.FromEnvironment() with { ApplicationName = "Weaver.Benchmarks" },
                    message => Console.WriteLine("// " + message));
                await server.InitializeAsync().ConfigureAwait(false);

                // Without binaries outside CI the server stays unavailable; its connection string throws saying why.
                _ = server.ConnectionString;
                _server = server;
            }

            return _server;
        }
        finally
        {
            Gate.Release();
        }
    }
}
