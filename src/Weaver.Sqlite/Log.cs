using Microsoft.Extensions.Logging;

namespace Weaver.Sqlite;

/// <summary>The store's log messages; event ids 100–199 (the runtime's are 1–99, Weaver.PostgreSql's 200–299).</summary>
internal static partial class Log
{
    [LoggerMessage(
        EventId = 101,
        Level = LogLevel.Warning,
        Message = "Skipped row '{RowId}' of '{Table}' in the SQLite store '{DataSource}' while {Operation}: {Problem}")]
    public static partial void SkippedRow(ILogger logger, string table, string rowId, string dataSource, string operation, string problem);
}
