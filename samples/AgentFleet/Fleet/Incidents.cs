using System.Diagnostics;

namespace AgentFleet.Fleet;

/// <summary>What happened to the fleet (crashes, pauses, reclaims, zombies), with the time since the run started.</summary>
public sealed class Incidents
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly long _started = Stopwatch.GetTimestamp();

    /// <summary>The time since the run started.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    /// <summary>Every line so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Adds a line, stamped with the time since the run started.</summary>
    /// <param name="text">What happened.</param>
    public void Add(string text)
    {
        lock (_gate)
        {
            _lines.Add($"[{Elapsed.TotalSeconds,6:0.0}s] {text}");
        }
    }
}
