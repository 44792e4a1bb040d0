using Microsoft.Extensions.Logging;

namespace Weaver.Sqlite;

/// <summary>The store's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(
        EventId = 1,
        Level = LogLevel.Warning,
        Message = "Skipped row '{RowId}' of '{Table}' in the SQLite store '{DataSource}' while {Operation}: {Problem}")]
    public static partial void SkippedRow(ILogger logger, string table, string rowId, string dataSource, string operation, string problem);
}
