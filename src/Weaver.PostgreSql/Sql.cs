using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Weaver.PostgreSql;

/// <summary>Typed parameters (every text reaches SQL only as one), and the microsecond arithmetic of <c>timestamptz</c>.</summary>
internal static class Sql
{
    private const long TicksPerMicrosecond = 10;

    public static NpgsqlCommand Text(this NpgsqlCommand command, string name, string? value) =>
        command.Add(name, NpgsqlDbType.Text, value);

    public static NpgsqlCommand Texts(this NpgsqlCommand command, string name, IReadOnlyCollection<string> values) =>
        command.Add(name, NpgsqlDbType.Array | NpgsqlDbType.Text, values.ToArray());

    public static NpgsqlCommand Int(this NpgsqlCommand command, string name, int value) =>
        command.Add(name, NpgsqlDbType.Integer, value);

    public static NpgsqlCommand Long(this NpgsqlCommand command, string name, long? value) =>
        command.Add(name, NpgsqlDbType.Bigint, value);

    public static NpgsqlCommand Double(this NpgsqlCommand command, string name, double value) =>
        command.Add(name, NpgsqlDbType.Double, value);

    public static NpgsqlCommand Decimal(this NpgsqlCommand command, string name, decimal value) =>
        command.Add(name, NpgsqlDbType.Numeric, value);

    public static NpgsqlCommand Uuid(this NpgsqlCommand command, string name, Guid? value) =>
        command.Add(name, NpgsqlDbType.Uuid, value);

    public static NpgsqlCommand Time(this NpgsqlCommand command, string name, DateTimeOffset? value) =>
        command.Add(name, NpgsqlDbType.TimestampTz, value?.ToUniversalTime());

    private static NpgsqlCommand Add(this NpgsqlCommand command, string name, NpgsqlDbType type, object? value)
    {
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
        return command;
    }

    public static string? NullableText(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? NullableLong(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static DateTimeOffset Time(this DbDataReader reader, int ordinal) =>
        reader.GetFieldValue<DateTimeOffset>(ordinal).ToUniversalTime();

    public static DateTimeOffset? NullableTime(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.Time(ordinal);

    /// <summary>Up to the next microsecond, PostgreSQL's resolution: for an expiry on the microsecond grid, <c>t &lt;= expiry</c> exactly when <c>Ceiling(t) &lt;= expiry</c>.</summary>
    public static DateTimeOffset CeilingToMicrosecond(DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        var rest = ticks % TicksPerMicrosecond;
        return new DateTimeOffset(rest == 0 ? ticks : ticks + (TicksPerMicrosecond - rest), TimeSpan.Zero);
    }

    /// <summary>Down to the microsecond, as PostgreSQL stores it.</summary>
    public static DateTimeOffset FloorToMicrosecond(DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TicksPerMicrosecond), TimeSpan.Zero);
    }
}
