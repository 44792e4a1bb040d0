using Npgsql;

namespace Weaver.PostgreSql;

/// <summary>The store of <c>UsePostgreSql</c>: a <see cref="PostgreSqlWeaverStore"/> on one database.</summary>
internal sealed class PostgreSqlStoreProvider(string? connectionString, Func<PostgreSqlStoreOptions, PostgreSqlStoreOptions>? configure) : WeaverStoreProvider
{
    private const string Method = "UsePostgreSql";

    /// <summary>Names the server and database, never the whole connection string: it may hold a password.</summary>
    public override string Description
    {
        get
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(connectionString);
                return $"PostgreSQL database '{builder.Database}' on '{builder.Host}'";
            }
            catch (Exception error) when (error is ArgumentException or FormatException or KeyNotFoundException or InvalidCastException)
            {
                return "PostgreSQL";
            }
        }
    }

    public override IEnumerable<string> Validate(WeaverStoreContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return [$"{Method} was given an empty connection string; give an Npgsql connection string such as 'Host=db;Database=weaver;Username=weaver;Password=...'."];
        }

        if (!TryMakeOptions(Method, () => StoreOptions(context).Validate(), out var options, out var problem))
        {
            return [problem];
        }

        return context.LeasesProblem(options.Leases, Method) is { } leases ? [leases] : [];
    }

    public override async Task<IWeaverStore> OpenAsync(WeaverStoreContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return await PostgreSqlWeaverStore.OpenAsync(StoreOptions(context), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The database's clock judges leases (the store's TimeProvider stays null) unless configure sets one.</summary>
    private PostgreSqlStoreOptions StoreOptions(WeaverStoreContext context)
    {
        var options = new PostgreSqlStoreOptions { ConnectionString = connectionString ?? string.Empty, Leases = context.Options.Leases, LoggerFactory = context.LoggerFactory };
        return Configure(options, configure, Method);
    }
}
