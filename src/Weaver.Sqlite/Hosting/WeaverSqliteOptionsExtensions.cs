using Weaver;
using Weaver.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses SQLite as a Weaver host's store.</summary>
public static class WeaverSqliteOptionsExtensions
{
    /// <summary>
    /// Keeps the host's tasks, leases, locks and jobs in one SQLite file (<see cref="SqliteWeaverStore"/>), which several
    /// processes of one machine share: each runs its own workers, and a restarted process resumes the jobs of one that
    /// stopped. The file is created when missing and its schema migrated when the host starts; a path that cannot be
    /// used fails the start. Lease timing comes from <see cref="WeaverOptions.Leases"/>, the clock from the host's
    /// <see cref="TimeProvider"/> service (one machine, one clock).
    /// </summary>
    /// <param name="options">The host's options.</param>
    /// <param name="path">The database file, such as <c>weaver.db</c>; its folder must exist.</param>
    /// <param name="configure">
    /// Changes the store's other settings, such as <c>sqlite =&gt; sqlite with { PollInterval = TimeSpan.FromMilliseconds(200) }</c>.
    /// </param>
    /// <returns><paramref name="options"/>, to chain calls.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public static WeaverOptions UseSqlite(this WeaverOptions options, string path, Func<SqliteStoreOptions, SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.UseStore(new SqliteStoreProvider(path, configure));
    }
}
