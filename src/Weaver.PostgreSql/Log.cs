using Microsoft.Extensions.Logging;

namespace Weaver.PostgreSql;

/// <summary>The store's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Weaver.PostgreSql schema '{Schema}': applied migration(s) {Versions}.")]
    public static partial void Migrated(ILogger logger, string schema, string versions);

    [LoggerMessage(2, LogLevel.Warning, "Skipped row '{RowId}' of '{Table}' while listing: {Problem}")]
    public static partial void SkippedRow(ILogger logger, string table, string rowId, string problem);

    [LoggerMessage(7, LogLevel.Warning, "Did not cancel row '{RowId}' of '{Table}': {Problem}")]
    public static partial void RowNotCancelled(ILogger logger, string table, string rowId, string problem);

    [LoggerMessage(3, LogLevel.Warning, "Weaver.PostgreSql could not {Operation} (try {Try}): {Message}; trying again in {Delay}.")]
    public static partial void Retrying(ILogger logger, Exception error, string operation, int @try, string message, TimeSpan delay);

    [LoggerMessage(4, LogLevel.Information, "Weaver.PostgreSql: '{Operation}' was found already applied after the connection was lost; it was not applied again.")]
    public static partial void Recovered(ILogger logger, string operation);

    [LoggerMessage(5, LogLevel.Warning, "Weaver.PostgreSql lost its listening connection on channel '{Channel}' ({Failures} failure(s) in a row); listening again in {Delay}.")]
    public static partial void ListenerLost(ILogger logger, Exception error, string channel, int failures, TimeSpan delay);

    [LoggerMessage(6, LogLevel.Information, "Weaver.PostgreSql listens on channel '{Channel}' again after {Failures} failure(s).")]
    public static partial void ListenerReconnected(ILogger logger, string channel, int failures);
}
