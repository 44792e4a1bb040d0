namespace Weaver.Sqlite;

/// <summary>The store of <c>UseSqlite</c>: a <see cref="SqliteWeaverStore"/> on one file.</summary>
internal sealed class SqliteStoreProvider(string? path, Func<SqliteStoreOptions, SqliteStoreOptions>? configure) : WeaverStoreProvider
{
    private const string Method = "UseSqlite";

    public override string Description => $"SQLite file '{path}'";

    public override IEnumerable<string> Validate(WeaverStoreContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(path))
        {
            return [$"{Method} was given an empty path; give the database file, such as UseSqlite(\"weaver.db\"): it is created when missing, in a folder that exists."];
        }

        if (!TryMakeOptions(Method, () => StoreOptions(context).Validate(), out var options, out var problem))
        {
            return [problem];
        }

        var problems = new List<string>();
        if (context.LeasesProblem(options.Leases, Method) is { } leases)
        {
            problems.Add(leases);
        }

        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.DataSource));
        if (folder is not null && !Directory.Exists(folder))
        {
            problems.Add($"{Method}: the folder of the SQLite file '{options.DataSource}' ('{folder}') does not exist; SQLite creates the file, not its folder, so create the folder first.");
        }

        return problems;
    }

    public override async Task<IWeaverStore> OpenAsync(WeaverStoreContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return await SqliteWeaverStore.OpenAsync(StoreOptions(context), cancellationToken).ConfigureAwait(false);
    }

    private SqliteStoreOptions StoreOptions(WeaverStoreContext context)
    {
        var options = new SqliteStoreOptions { Path = path, Leases = context.Options.Leases, TimeProvider = context.TimeProvider, LoggerFactory = context.LoggerFactory };
        return Configure(options, configure, Method);
    }
}
