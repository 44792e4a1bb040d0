using System.Text;

namespace Weaver.Benchmarks.Tests;

/// <summary>
/// Reads BenchmarkDotNet's <c>-report.csv</c>: fields separated by the culture's list separator (a comma in the
/// invariant culture; read from the header, whose first column is <c>Method</c>), quoted with <c>"</c> when they hold
/// the separator or a quote.
/// </summary>
internal static class Csv
{
    /// <summary>The rows of <paramref name="path"/>, each as a map from the header's column names to the row's fields.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Read(string path)
    {
        var lines = File.ReadAllLines(path).Where(line => line.Length > 0).ToList();
        if (lines.Count == 0)
        {
            throw new InvalidDataException($"{path} is empty.");
        }

        const string first = "Method";
        if (!lines[0].StartsWith(first, StringComparison.Ordinal) || lines[0].Length == first.Length)
        {
            throw new InvalidDataException($"{path}: the header does not start with the column '{first}': {lines[0]}");
        }

        var separator = lines[0][first.Length];
        var header = Split(lines[0], separator);
        return lines.Skip(1)
            .Select(line => Split(line, separator))
            .Select(fields => fields.Count == header.Count
                ? (IReadOnlyDictionary<string, string>)header.Zip(fields).ToDictionary(pair => pair.First, pair => pair.Second, StringComparer.Ordinal)
                : throw new InvalidDataException($"{path}: a row has {fields.Count} fields, the header {header.Count}."))
            .ToList();
    }

    /// <summary>The fields of one line.</summary>
    public static IReadOnlyList<string> Split(string line, char separator)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            throw new InvalidDataException($"A quoted field is not closed: {line}");
        }

        fields.Add(field.ToString());
        return fields;
    }
}
