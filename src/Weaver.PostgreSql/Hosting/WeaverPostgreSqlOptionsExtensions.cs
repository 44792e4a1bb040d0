using Weaver;
using Weaver.PostgreSql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses PostgreSQL as a Weaver host's store.</summary>
public static class WeaverPostgreSqlOptionsExtensions
{
    /// <summary>
    /// Keeps the host's tasks, leases, locks and jobs in a PostgreSQL database (<see cref="PostgreSqlWeaverStore"/>),
    /// which a fleet of processes on many machines shares. The schema is migrated when the host starts; a server that
    /// stays unreachable fails the start. Leases are judged by the database's clock; their timing comes from
    /// <see cref="WeaverOptions.Leases"/>.
    /// </summary>
    /// <param name="options">The host's options.</param>
    /// <param name="connectionString">An Npgsql connection string, such as <c>Host=db;Database=weaver;Username=weaver;Password=...</c>.</param>
    /// <param name="configure">
    /// Changes the store's other settings, such as <c>pg =&gt; pg with { Schema = "jobs" }</c>.
    /// </param>
    /// <returns><paramref name="options"/>, to chain calls.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public static WeaverOptions UsePostgreSql(this WeaverOptions options, string connectionString, Func<PostgreSqlStoreOptions, PostgreSqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.UseStore(new PostgreSqlStoreProvider(connectionString, configure));
    }
}
