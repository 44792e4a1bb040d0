using Npgsql;

namespace Weaver.Cli.Stores;

/// <summary>Which store a command reads: a SQLite file or a PostgreSQL schema.</summary>
internal abstract record StoreLocation
{
    /// <summary>The store as messages name it; never a password.</summary>
    public abstract string Description { get; }

    /// <summary>A SQLite store: one database file.</summary>
    /// <param name="Path">The file, as given (relative to the current folder) or absolute.</param>
    public sealed record Sqlite(string Path) : StoreLocation
    {
        /// <summary>The file's absolute path.</summary>
        public string FullPath => System.IO.Path.GetFullPath(Path);

        /// <inheritdoc />
        public override string Description => $"the SQLite store '{FullPath}'";
    }

    /// <summary>A PostgreSQL store: the tables of one schema in one database.</summary>
    /// <param name="ConnectionString">An Npgsql connection string.</param>
    /// <param name="Schema">The schema that holds the store's tables.</param>
    public sealed record Postgres(string ConnectionString, string Schema) : StoreLocation
    {
        /// <summary>The server and database, without credentials.</summary>
        public string Server
        {
            get
            {
                var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
                var server = $"{builder.Host ?? "localhost"}:{builder.Port}";
                return string.IsNullOrEmpty(builder.Database) ? server : $"{server}, database '{builder.Database}'";
            }
        }

        /// <inheritdoc />
        public override string Description => $"the PostgreSQL store in schema '{Schema}' ({Server})";

        /// <summary>Hides the connection string, which may hold a password, from logs of the record.</summary>
        /// <returns>The description.</returns>
        public override string ToString() => Description;
    }
}
