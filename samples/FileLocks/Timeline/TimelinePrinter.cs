using System.Globalization;

namespace FileLocks;

/// <summary>Writes the timeline and who held each file, in milliseconds after the run started.</summary>
public static class TimelinePrinter
{
    public static void PrintTimeline(IEnumerable<TimelineEntry> entries, DateTimeOffset start)
    {
        Console.WriteLine("Timeline (ms after start)");
        foreach (var entry in entries)
        {
            Console.WriteLine($"  {Ms(entry.At, start),5}  {entry.Who,-10} {entry.Task,-16} {entry.What}");
        }
    }

    public static void PrintHoldings(IEnumerable<Holding> holdings, DateTimeOffset start)
    {
        Console.WriteLine("Who held each file (ms after start)");
        foreach (var file in holdings.GroupBy(h => h.File).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"  {file.Key}");
            foreach (var holding in file)
            {
                var until = holding.Until is { } at ? Ms(at, start) : "(held)";
                var lost = holding.End switch
                {
                    HoldingEnd.WentStale => "  lost: went stale",
                    HoldingEnd.TakenBack => "  lost: task taken back",
                    _ => "",
                };
                Console.WriteLine($"    {Ms(holding.From, start),5} .. {until,-6} {holding.Task,-16} on {holding.Owner,-10} lock epoch {holding.Epoch}{lost}");
            }
        }
    }

    /// <summary>Milliseconds after <paramref name="start"/>, as a whole number.</summary>
    public static string Ms(DateTimeOffset at, DateTimeOffset start) =>
        ((long)(at - start).TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
