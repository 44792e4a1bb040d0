using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Weaver.Benchmarks.Stores;

/// <summary>
/// A store benchmark's invocation processes <c>Tasks</c> tasks (a parameter, smaller in a smoke run), so BenchmarkDotNet's
/// Mean and Allocated are per invocation: these columns divide them by the case's <c>Tasks</c>.
/// </summary>
public sealed class PerTaskColumn : IColumn
{
    /// <summary>The name of the parameter that holds the tasks per invocation.</summary>
    public const string TasksParameter = "Tasks";

    private readonly Func<Summary, BenchmarkCase, double?> _perInvocation;
    private readonly Func<double, int, string> _format;

    private PerTaskColumn(string name, string legend, UnitType unit, Func<Summary, BenchmarkCase, double?> perInvocation, Func<double, int, string> format)
    {
        ColumnName = name;
        Legend = legend;
        UnitType = unit;
        _perInvocation = perInvocation;
        _format = format;
    }

    /// <summary>Mean time per task, in microseconds.</summary>
    public static IColumn TimePerTask { get; } = new PerTaskColumn(
        "µs/task", "Mean time per task: Mean / Tasks, in microseconds", UnitType.Dimensionless,
        (summary, c) => summary[c]?.ResultStatistics?.Mean,
        (mean, tasks) => (mean / tasks / 1_000).ToString("N1", CultureInfo.InvariantCulture));

    /// <summary>Tasks per second.</summary>
    public static IColumn TasksPerSecond { get; } = new PerTaskColumn(
        "Tasks/s", "Tasks claimed and completed per second: Tasks / Mean", UnitType.Dimensionless,
        (summary, c) => summary[c]?.ResultStatistics?.Mean,
        (mean, tasks) => (tasks / (mean / 1e9)).ToString("N0", CultureInfo.InvariantCulture));

    /// <summary>Managed bytes allocated per task.</summary>
    public static IColumn AllocatedPerTask { get; } = new PerTaskColumn(
        "B/task", "Managed memory allocated per task: Allocated / Tasks, in bytes", UnitType.Dimensionless,
        (summary, c) => summary[c] is { } report ? report.GcStats.GetBytesAllocatedPerOperation(c) : null,
        (bytes, tasks) => (bytes / tasks).ToString("N0", CultureInfo.InvariantCulture));

    /// <summary>All three.</summary>
    public static IReadOnlyList<IColumn> All { get; } = [TimePerTask, TasksPerSecond, AllocatedPerTask];

    /// <inheritdoc/>
    public string Id => nameof(PerTaskColumn) + "." + ColumnName;

    /// <inheritdoc/>
    public string ColumnName { get; }

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => 0;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType { get; }

    /// <inheritdoc/>
    public string Legend { get; }

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        _perInvocation(summary, benchmarkCase) is { } value && benchmarkCase.Parameters[TasksParameter] is int tasks and > 0
            ? _format(value, tasks)
            : "NA";

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <summary>The configuration that adds the three columns to a store benchmark class (<c>[Config(typeof(PerTaskColumn.Config))]</c>).</summary>
    public sealed class Config : ManualConfig
    {
        /// <summary>Adds the columns.</summary>
        public Config() => AddColumn([.. All]);
    }
}
