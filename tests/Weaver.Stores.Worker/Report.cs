namespace Weaver.Stores.Worker;

/// <summary>Writes the worker's protocol lines (<see cref="WorkerProtocol"/>) to stdout, one whole line at a time.</summary>
internal static class Report
{
    private static readonly Lock Gate = new();

    /// <summary>Writes one line and flushes it, so that a worker killed right after still has it on record.</summary>
    /// <param name="fields">The event name, then its fields.</param>
    public static void Write(params object[] fields)
    {
        var line = WorkerProtocol.Line(fields);
        lock (Gate)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }
}
