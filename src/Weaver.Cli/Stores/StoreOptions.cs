using System.CommandLine;
using Weaver.PostgreSql;

namespace Weaver.Cli.Stores;

/// <summary>
/// The options that name the store, on every command (<c>--sqlite</c>, <c>--postgres</c>, <c>--schema</c>), and the
/// environment variables that stand in for them. The command line wins over the environment; one store, never two.
/// </summary>
internal sealed class StoreOptions
{
    /// <summary>The SQLite file when no option names a store.</summary>
    public const string SqliteVariable = "WEAVER_SQLITE";

    /// <summary>The PostgreSQL connection string when no option names a store.</summary>
    public const string PostgresVariable = "WEAVER_POSTGRES";

    /// <summary>The PostgreSQL schema when <c>--schema</c> is not given.</summary>
    public const string SchemaVariable = "WEAVER_POSTGRES_SCHEMA";

    /// <summary>The schema of a PostgreSQL store when neither <c>--schema</c> nor <see cref="SchemaVariable"/> names one.</summary>
    public const string DefaultSchema = "weaver";

    private const string HowToName =
        $"pass --sqlite PATH (the database file your workers use) or --postgres CONNECTION_STRING, or set {SqliteVariable} or {PostgresVariable}";

    public Option<string> Sqlite { get; } = new("--sqlite")
    {
        Description = $"The SQLite store's database file (it must exist; weaver never creates one). Default: ${SqliteVariable}.",
        HelpName = "PATH",
        Recursive = true,
    };

    public Option<string> Postgres { get; } = new("--postgres")
    {
        Description = $"An Npgsql connection string to the PostgreSQL store's database, e.g. \"Host=db;Database=weaver;Username=weaver;Password=...\". Default: ${PostgresVariable}.",
        HelpName = "CONNECTION_STRING",
        Recursive = true,
    };

    public Option<string> Schema { get; } = new("--schema")
    {
        Description = $"The PostgreSQL schema of the store's tables. Default: ${SchemaVariable}, else '{DefaultSchema}'.",
        HelpName = "NAME",
        Recursive = true,
    };

    /// <summary>The options, to add to the root command.</summary>
    public IEnumerable<Option> All => [Sqlite, Postgres, Schema];

    /// <summary>The store the command line (or else the environment) names.</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <param name="getVariable">Reads an environment variable.</param>
    /// <returns>The store's location.</returns>
    /// <exception cref="CliException">No store, two stores, an empty value or a bad schema (<see cref="ExitCodes.Usage"/>).</exception>
    public StoreLocation Resolve(ParseResult parseResult, Func<string, string?> getVariable)
    {
        var sqlite = Given(parseResult, Sqlite);
        var postgres = Given(parseResult, Postgres);
        var schema = Given(parseResult, Schema);
        if (sqlite is not null && postgres is not null)
        {
            throw CliException.Usage("Both --sqlite and --postgres were given; weaver reads one store at a time: give one of them.");
        }

        if (sqlite is null && postgres is null)
        {
            sqlite = Variable(getVariable, SqliteVariable);
            postgres = Variable(getVariable, PostgresVariable);
            if (sqlite is not null && postgres is not null)
            {
                throw CliException.Usage(
                    $"Both {SqliteVariable} and {PostgresVariable} are set; weaver reads one store at a time: unset one, or choose with --sqlite PATH or --postgres CONNECTION_STRING.");
            }

            if (sqlite is null && postgres is null)
            {
                throw CliException.Usage($"No store given: {HowToName}.");
            }
        }

        if (sqlite is not null)
        {
            return schema is null
                ? new StoreLocation.Sqlite(sqlite)
                : throw CliException.Usage("--schema names a PostgreSQL schema; it does not apply to a SQLite store. Drop --schema, or use --postgres.");
        }

        var location = new StoreLocation.Postgres(postgres!, schema ?? Variable(getVariable, SchemaVariable) ?? DefaultSchema);
        try
        {
            new PostgreSqlStoreOptions { ConnectionString = location.ConnectionString, Schema = location.Schema }.Validate();
        }
        catch (ArgumentException error)
        {
            // The library's message names the setting and what is allowed; its "(Parameter '...')" tail says it again.
            var message = error.ParamName is null ? error.Message : error.Message.Replace($" (Parameter '{error.ParamName}')", "", StringComparison.Ordinal);
            throw CliException.Usage($"The PostgreSQL store cannot be named so: {message}");
        }

        return location;
    }

    private static string? Given(ParseResult parseResult, Option<string> option)
    {
        if (parseResult.GetResult(option) is null)
        {
            return null;
        }

        var value = parseResult.GetValue(option);
        return string.IsNullOrWhiteSpace(value)
            ? throw CliException.Usage($"{option.Name} was given an empty value; {option.Name} takes {option.HelpName}.")
            : value;
    }

    private static string? Variable(Func<string, string?> getVariable, string name) =>
        getVariable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;
}
