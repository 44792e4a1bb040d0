using System.Globalization;
using Spectre.Console;

namespace Weaver.Cli.Output;

/// <summary>How tables show values: times in UTC, durations in words a person reads at a glance, states in colour.</summary>
internal static class Cells
{
    /// <summary>A plain cell; the text is shown as is (no markup).</summary>
    /// <param name="text">The text; a dash when null or empty.</param>
    /// <returns>The cell.</returns>
    public static Text Plain(string? text) => new(string.IsNullOrEmpty(text) ? "-" : text);

    /// <summary>A cell in a style.</summary>
    /// <param name="text">The text.</param>
    /// <param name="style">Its style.</param>
    /// <returns>The cell.</returns>
    public static Text Styled(string text, Style style) => new(text, style);

    /// <summary>A number, right-aligned by its column.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The cell.</returns>
    public static Text Number(long value) => new(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>A UTC timestamp to the second, such as <c>2026-11-22 14:03:07Z</c>.</summary>
    /// <param name="at">The instant.</param>
    /// <returns>The text.</returns>
    public static string Timestamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A duration in its two largest units, such as <c>4m 12s</c>, <c>2h 5m</c>, <c>3d 1h</c> or <c>0.4s</c>.</summary>
    /// <param name="span">The duration; its sign is ignored.</param>
    /// <returns>The text.</returns>
    public static string Duration(TimeSpan span)
    {
        span = span.Duration();
        if (span < TimeSpan.FromSeconds(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0}s");
        }

        return span switch
        {
            { TotalDays: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays}d {span.Hours}h"),
            { TotalHours: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.Hours}h {span.Minutes}m"),
            { TotalMinutes: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m {span.Seconds}s"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{span.Seconds}s"),
        };
    }

    /// <summary>A job's or task's state, coloured by what it means: green done, red failed, yellow waiting, blue running.</summary>
    /// <param name="state">The state's name.</param>
    /// <returns>The cell.</returns>
    public static Text State(string state) => new(state, StateStyle(state));

    /// <summary>The style of a state's name.</summary>
    /// <param name="state">The state's name.</param>
    /// <returns>Its style.</returns>
    public static Style StateStyle(string state) => state switch
    {
        "Succeeded" or "Completed" or "Compensated" => new Style(Color.Green),
        "Failed" or "Dead" or "Quarantined" => new Style(Color.Red),
        "Cancelled" or "Blocked" => new Style(Color.Grey),
        "Running" or "Compensating" or "Decomposed" => new Style(Color.Blue),
        _ => new Style(Color.Yellow),
    };

    /// <summary>A PascalCase name as lowercase words, such as <c>retry scheduled</c> for <c>RetryScheduled</c>.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The words.</returns>
    public static string Words(string name)
    {
        var words = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                words.Append(' ');
            }

            words.Append(char.ToLowerInvariant(name[i]));
        }

        return words.ToString();
    }

    /// <summary>A table with the look every command uses.</summary>
    /// <param name="columns">Its column headers.</param>
    /// <returns>The table.</returns>
    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(new Text(column, new Style(decoration: Decoration.Bold))));
        }

        return table;
    }
}
