using Microsoft.Data.Sqlite;

namespace Weaver.Sqlite;

/// <summary>
/// One transaction on one connection, with the instant it runs at. Every value reaches SQL as a parameter
/// (<c>$name</c>); the SQL texts themselves are constants of this assembly.
/// </summary>
internal sealed class SqliteSession(SqliteConnection connection, DateTimeOffset now)
{
    /// <summary>The connection, inside the transaction.</summary>
    public SqliteConnection Connection { get; } = connection;

    /// <summary>The store's clock when the transaction began (UTC): every lease judged and every event stamped in it uses this.</summary>
    public DateTimeOffset Now { get; } = now.ToUniversalTime();

    /// <summary><see cref="Now"/> as stored.</summary>
    public long NowTicks => Now.UtcTicks;

    /// <summary>What the transaction reports to Weaver's meter once it commits.</summary>
    public CommitTelemetry Telemetry { get; } = new();

    /// <summary>Runs a statement that returns no rows.</summary>
    /// <returns>How many rows it changed.</returns>
    public int Execute(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = Create(sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>Runs a query and reads each row.</summary>
    /// <returns>The rows, in the order the query gave them.</returns>
    public List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = Create(sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>Runs a query and reads its first row, if any.</summary>
    /// <returns>The row, or <see langword="default"/> when there is none.</returns>
    public T? QuerySingle<T>(string sql, Func<SqliteDataReader, T> read, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = Create(sql, parameters);
        using var reader = command.ExecuteReader();
        return reader.Read() ? read(reader) : default;
    }

    /// <summary>A command with its parameters bound; <see langword="null"/> becomes SQL NULL.</summary>
    public SqliteCommand Create(string sql, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
