namespace Weaver;

/// <summary>
/// A stored row cannot be read: a state this version does not know, a timestamp or payload that does not parse. The
/// message names the table, the row and the column, and says what is allowed; the row is left as it is.
/// </summary>
public sealed class StoreRowException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="table">The table (or collection) of the row.</param>
    /// <param name="rowId">The row's id.</param>
    /// <param name="problem">What is wrong and what is allowed.</param>
    /// <param name="inner">The parse error, if any.</param>
    public StoreRowException(string table, string rowId, string problem, Exception? inner = null)
        : base($"Row '{rowId}' of '{table}' cannot be read: {problem}", inner)
    {
        Table = table;
        RowId = rowId;
    }

    /// <summary>The table of the row.</summary>
    public string Table { get; }

    /// <summary>The row's id.</summary>
    public string RowId { get; }

    /// <summary>The error for a task row whose state this version does not know.</summary>
    /// <param name="table">The table.</param>
    /// <param name="rowId">The row's id.</param>
    /// <param name="state">The stored state.</param>
    /// <returns>The exception.</returns>
    public static StoreRowException UnknownTaskState(string table, string rowId, string? state) =>
        new(table, rowId, $"its state '{state}' is not a task state; allowed: {string.Join(", ", Enum.GetNames<TaskLifecycle.State>())}.");
}
