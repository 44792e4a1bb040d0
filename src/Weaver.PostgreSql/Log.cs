using Microsoft.Extensions.Logging;

namespace Weaver.PostgreSql;

/// <summary>The store's log messages; event ids 200–299 (the runtime's are 1–99, Weaver.Sqlite's 100–199).</summary>
internal static partial class Log
{
    [LoggerMessage(201, LogLevel.Information, "Weaver.PostgreSql schema '{Schema}': applied migration(s) {Versions}.")]
    public static partial void Migrated(ILogger logger, string schema, string versions);

    [LoggerMessage(202, LogLevel.Warning, "Skipped row '{RowId}' of '{Table}' while listing: {Problem}")]
    public static partial void SkippedRow(ILogger logger, string table, string rowId, string problem);

    [LoggerMessage(207, LogLevel.Warning, "Did not cancel row '{RowId}' of '{Table}': {Problem}")]
    public static partial void RowNotCancelled(ILogger logger, string table, string rowId, string problem);

    [LoggerMessage(203, LogLevel.Warning, "Weaver.PostgreSql could not {Operation} (try {Try}): {Message}; trying again in {Delay}.")]
    public static partial void Retrying(ILogger logger, Exception error, string operation, int @try, string message, TimeSpan delay);

    [LoggerMessage(204, LogLevel.Information, "Weaver.PostgreSql: '{Operation}' was found already applied after the connection was lost; it was not applied again.")]
    public static partial void Recovered(ILogger logger, string operation);

    [LoggerMessage(205, LogLevel.Warning, "Weaver.PostgreSql lost its listening connection on channel '{Channel}' ({Failures} failure(s) in a row); listening again in {Delay}.")]
    public static partial void ListenerLost(ILogger logger, Exception error, string channel, int failures, TimeSpan delay);

    [LoggerMessage(206, LogLevel.Information, "Weaver.PostgreSql listens on channel '{Channel}' again after {Failures} failure(s).")]
    public static partial void ListenerReconnected(ILogger logger, string channel, int failures);
}
