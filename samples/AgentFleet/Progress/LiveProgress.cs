using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace AgentFleet.Progress;

/// <summary>The live view: tables of the job's tasks by state, the agents, the leases and the locks, redrawn a few times a second.</summary>
public static class LiveProgress
{
    /// <summary>Draws the view.</summary>
    /// <param name="view">The fleet now.</param>
    /// <returns>What to draw.</returns>
    public static IRenderable Render(FleetView view)
    {
        var states = new Table().Border(TableBorder.Rounded).Title("tasks by state").AddColumns("state", "tasks");
        foreach (var (state, count) in view.Job.Counts.Where(c => c.Value > 0))
        {
            states.AddRow(Cell(state.ToString()), Cell(count.ToString(CultureInfo.InvariantCulture)));
        }

        var agents = new Table().Border(TableBorder.Rounded).Title("agents").AddColumns("agent", "where", "state", "task");
        foreach (var agent in view.Agents)
        {
            agents.AddRow(Cell(agent.Name), Cell(agent.Where), Cell(agent.Session.Current.ToString()), Cell(agent.Session.Task ?? ""));
        }

        var leases = new Table().Border(TableBorder.Rounded).Title("leases").AddColumns("task", "owner", "epoch", "attempt", "expires in");
        foreach (var task in view.Leases)
        {
            var left = task.LeaseExpiresAt is { } expires ? expires - view.Now : TimeSpan.Zero;
            leases.AddRow(
                Cell(Agents.Roster.Label(task)),
                Cell(task.Owner ?? ""),
                Cell(task.Epoch.ToString(CultureInfo.InvariantCulture)),
                Cell(task.Attempts.ToString(CultureInfo.InvariantCulture)),
                Cell(left < TimeSpan.Zero ? $"stale {-left.TotalSeconds:0.0}s ago" : $"{left.TotalSeconds:0.0}s"));
        }

        var locks = new Table().Border(TableBorder.Rounded).Title("locks").AddColumns("resource", "holder", "owner", "epoch");
        foreach (var held in view.Locks)
        {
            foreach (var resource in held.Resources)
            {
                locks.AddRow(Cell(resource.ToString()), Cell(Agents.Roster.ShortId(held.TaskId)), Cell(held.Owner), Cell(held.Epoch.ToString(CultureInfo.InvariantCulture)));
            }
        }

        var incidents = view.Incidents.Count == 0 ? (IRenderable)new Text("none yet") : new Rows(view.Incidents.TakeLast(6).Select(line => new Text(line)));
        return new Rows(
            new Text($"job {view.Job.JobId} is {view.Job.State}{(view.Job.Saga is { } saga ? $" (saga {saga})" : "")} after {view.Elapsed.TotalSeconds:0.0} s"),
            new Columns(states, agents),
            new Columns(leases, locks),
            new Panel(incidents).Header("incidents").Border(BoxBorder.Rounded));
    }

    private static Text Cell(string text) => new(text);
}
